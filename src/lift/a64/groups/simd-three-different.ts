// lift/a64/groups: Advanced SIMD three different (vector and scalar): long, wide and high-narrow arithmetic,
// multiply-accumulate long, saturating doubling multiplies, and pmull (bytes, and the crypto 1q form).
import type { Encoding, Fields } from "../encoding-table.js";
import { allows, dnm, esize, sameScalars, simd, type Sizes } from "../simd-forms.js";
import type { InsnBody } from "../types.js";
import { vectorOperand } from "../vector-operands.js";

type Shape = "long" | "wide" | "narrow";
/** [mnemonic, shape, sizes (vector), scalar form allowed] by U:opcode (bits 29, 15..12). */
type Operation = [string, Shape, Sizes, boolean];
const operations: Record<string, Operation> = {
  "0:0000": ["saddl", "long", "012", false], "1:0000": ["uaddl", "long", "012", false],
  "0:0001": ["saddw", "wide", "012", false], "1:0001": ["uaddw", "wide", "012", false],
  "0:0010": ["ssubl", "long", "012", false], "1:0010": ["usubl", "long", "012", false],
  "0:0011": ["ssubw", "wide", "012", false], "1:0011": ["usubw", "wide", "012", false],
  "0:0100": ["addhn", "narrow", "012", false], "1:0100": ["raddhn", "narrow", "012", false],
  "0:0101": ["sabal", "long", "012", false], "1:0101": ["uabal", "long", "012", false],
  "0:0110": ["subhn", "narrow", "012", false], "1:0110": ["rsubhn", "narrow", "012", false],
  "0:0111": ["sabdl", "long", "012", false], "1:0111": ["uabdl", "long", "012", false],
  "0:1000": ["smlal", "long", "012", false], "1:1000": ["umlal", "long", "012", false],
  "0:1001": ["sqdmlal", "long", "12", true],
  "0:1010": ["smlsl", "long", "012", false], "1:1010": ["umlsl", "long", "012", false],
  "0:1011": ["sqdmlsl", "long", "12", true],
  "0:1100": ["smull", "long", "012", false], "1:1100": ["umull", "long", "012", false],
  "0:1101": ["sqdmull", "long", "12", true],
  "0:1110": ["pmull", "long", "0", false],
};

function operation(f: Fields): Operation | undefined {
  return operations[`${f.U}:${f.o.toString(2).padStart(4, "0")}`];
}

function vectorDifferent(f: Fields): InsnBody | undefined {
  const [d, n, m] = dnm(f);
  const op = operation(f);
  if (op === undefined) return undefined;
  const [name, shape] = op;
  const mnemonic = f.Q === 1 ? `${name}2` : name;
  if (name === "pmull" && f.z === 3) {
    return simd(mnemonic, [`v${d}.1q`, vectorOperand(n, 3, f.Q), vectorOperand(m, 3, f.Q)], "pmull_1q", [d, n, m, f.Q]);
  }
  if (!allows(op[2], f.z)) return undefined;
  const wide = vectorOperand(d, f.z + 1, 1);
  const narrowN = vectorOperand(n, f.z, f.Q);
  const narrowM = vectorOperand(m, f.z, f.Q);
  const e = esize(f.z);
  const count = 64 / e;
  if (shape === "long") return simd(mnemonic, [wide, narrowN, narrowM], name, [d, n, m, -1, e, count, f.Q]);
  if (shape === "wide") return simd(mnemonic, [wide, vectorOperand(n, f.z + 1, 1), narrowM], name, [d, n, m, e, count, f.Q]);
  return simd(mnemonic, [vectorOperand(d, f.z, f.Q), vectorOperand(n, f.z + 1, 1), vectorOperand(m, f.z + 1, 1)], name, [d, n, m, e, count, f.Q]);
}

function scalarDifferent(f: Fields): InsnBody | undefined {
  const [d, n, m] = dnm(f);
  const op = operation(f);
  if (op === undefined || !op[3] || !allows(op[2], f.z)) return undefined;
  return simd(op[0], [...sameScalars([d], f.z + 1), ...sameScalars([n, m], f.z)], op[0], [d, n, m, -1, esize(f.z), 1, 0]);
}

export const encodings: Encoding[] = [
  { name: "Advanced SIMD three different", pattern: "0QU01110zz1mmmmmoooo00nnnnnddddd", decode: vectorDifferent },
  { name: "Advanced SIMD scalar three different", pattern: "01U11110zz1mmmmmoooo00nnnnnddddd", decode: scalarDifferent },
];
