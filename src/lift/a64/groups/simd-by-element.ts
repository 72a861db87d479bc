// lift/a64/groups: Advanced SIMD vector x indexed element, integer (vector and scalar): mul, mla, mls, the long
// multiply(-accumulate)s, sqdmull/sqdmlal/sqdmlsl, sqdmulh, sqrdmulh.
import type { Encoding, Fields } from "../encoding-table.js";
import { esize, lanes, simd } from "../simd-forms.js";
import type { InsnBody } from "../types.js";
import { scalarOperand, vectorOperand } from "../vector-operands.js";

type Shape = "same" | "long";
/** [mnemonic, shape, scalar form allowed] by U:opcode (bits 29, 15..12). */
const operations: Record<string, [string, Shape, boolean]> = {
  "1:0000": ["mla", "same", false], "1:0100": ["mls", "same", false], "0:1000": ["mul", "same", false],
  "0:1100": ["sqdmulh", "same", true], "0:1101": ["sqrdmulh", "same", true],
  "0:0010": ["smlal", "long", false], "1:0010": ["umlal", "long", false],
  "0:0110": ["smlsl", "long", false], "1:0110": ["umlsl", "long", false],
  "0:1010": ["smull", "long", false], "1:1010": ["umull", "long", false],
  "0:0011": ["sqdmlal", "long", true], "0:0111": ["sqdmlsl", "long", true], "0:1011": ["sqdmull", "long", true],
};

interface Indexed {
  m: number;
  index: number;
}

/** Halfword elements index with H:L:M and name v0..v15; words with H:L and M as Rm's top bit. */
function indexed(f: Fields): Indexed | undefined {
  if (f.z === 1) return { m: f.m, index: (f.H << 2) | (f.L << 1) | f.M };
  if (f.z === 2) return { m: (f.M << 4) | f.m, index: (f.H << 1) | f.L };
  return undefined;
}

function operationOf(f: Fields): [string, Shape, boolean] | undefined {
  return operations[`${f.U}:${f.o.toString(2).padStart(4, "0")}`];
}

function vectorByElement(f: Fields): InsnBody | undefined {
  const op = operationOf(f);
  const at = indexed(f);
  if (op === undefined || at === undefined) return undefined;
  const [name, shape] = op;
  const { d, n, z, Q } = f;
  const element = `v${at.m}.${"bhsd"[z]}[${at.index}]`;
  const e = esize(z);
  if (shape === "same") {
    return simd(name, [vectorOperand(d, z, Q), vectorOperand(n, z, Q), element], `${name}_elem`, [d, n, at.m, at.index, e, lanes(z, Q)]);
  }
  const mnemonic = Q === 1 ? `${name}2` : name;
  return simd(mnemonic, [vectorOperand(d, z + 1, 1), vectorOperand(n, z, Q), element], name, [d, n, at.m, at.index, e, 64 / e, Q]);
}

function scalarByElement(f: Fields): InsnBody | undefined {
  const op = operationOf(f);
  const at = indexed(f);
  if (op === undefined || at === undefined || !op[2]) return undefined;
  const [name, shape] = op;
  const { d, n, z } = f;
  const element = `v${at.m}.${"bhsd"[z]}[${at.index}]`;
  const e = esize(z);
  if (shape === "same") return simd(name, [scalarOperand(d, z), scalarOperand(n, z), element], `${name}_elem`, [d, n, at.m, at.index, e, 1]);
  return simd(name, [scalarOperand(d, z + 1), scalarOperand(n, z), element], name, [d, n, at.m, at.index, e, 1, 0]);
}

export const encodings: Encoding[] = [
  { name: "Advanced SIMD vector x indexed element (integer)", pattern: "0QU01111zzLMmmmmooooH0nnnnnddddd", decode: vectorByElement },
  { name: "Advanced SIMD scalar x indexed element (integer)", pattern: "01U11111zzLMmmmmooooH0nnnnnddddd", decode: scalarByElement },
];
