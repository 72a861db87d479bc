// lift/a64/groups: Advanced SIMD shift by immediate, integer (vector and scalar): shifts right (rounding,
// accumulating, inserting), shifts left (saturating), narrowing shifts and sshll/ushll (sxtl/uxtl).
import type { Encoding, Fields } from "../encoding-table.js";
import { esize, lanes, simd } from "../simd-forms.js";
import type { InsnBody } from "../types.js";
import { scalarOperand, vectorOperand } from "../vector-operands.js";

type Shape = "right" | "left" | "narrow" | "long";
/** [mnemonic, helper, shape, allowed in scalar form] by U:opcode (bits 29, 15..11). */
type Operation = [string, string, Shape, boolean];
const operations: Record<string, Operation> = {
  "0:00000": ["sshr", "sshr_imm", "right", true], "1:00000": ["ushr", "ushr_imm", "right", true],
  "0:00010": ["ssra", "ssra_imm", "right", true], "1:00010": ["usra", "usra_imm", "right", true],
  "0:00100": ["srshr", "srshr_imm", "right", true], "1:00100": ["urshr", "urshr_imm", "right", true],
  "0:00110": ["srsra", "srsra_imm", "right", true], "1:00110": ["ursra", "ursra_imm", "right", true],
  "1:01000": ["sri", "sri_imm", "right", true],
  "0:01010": ["shl", "shl_imm", "left", true], "1:01010": ["sli", "sli_imm", "left", true],
  "1:01100": ["sqshlu", "sqshlu_imm", "left", true],
  "0:01110": ["sqshl", "sqshli_imm", "left", true], "1:01110": ["uqshl", "uqshli_imm", "left", true],
  "0:10000": ["shrn", "shrn_narrow", "narrow", false], "1:10000": ["sqshrun", "sqshrun_narrow", "narrow", true],
  "0:10001": ["rshrn", "rshrn_narrow", "narrow", false], "1:10001": ["sqrshrun", "sqrshrun_narrow", "narrow", true],
  "0:10010": ["sqshrn", "sqshrn_narrow", "narrow", true], "1:10010": ["uqshrn", "uqshrn_narrow", "narrow", true],
  "0:10011": ["sqrshrn", "sqrshrn_narrow", "narrow", true], "1:10011": ["uqrshrn", "uqrshrn_narrow", "narrow", true],
  "0:10100": ["sshll", "sshll_long", "long", false], "1:10100": ["ushll", "ushll_long", "long", false],
};

/** Element size (0..3) from immh: the position of its highest set bit. */
function sizeOf(immh: number): number {
  return 31 - Math.clz32(immh);
}

/** The shift amount: right shifts count down from 2*esize, left shifts up from esize. */
function amount(shape: Shape, size: number, immhb: number): number {
  return shape === "left" || shape === "long" ? immhb - esize(size) : 2 * esize(size) - immhb;
}

function operationOf(f: Fields): Operation | undefined {
  if (f.h === 0) return undefined;
  return operations[`${f.U}:${f.o.toString(2).padStart(5, "0")}`];
}

function vectorShift(f: Fields): InsnBody | undefined {
  const op = operationOf(f);
  if (op === undefined) return undefined;
  const [name, fn, shape] = op;
  const { d, n, Q } = f;
  const size = sizeOf(f.h);
  const e = esize(size);
  const shift = amount(shape, size, (f.h << 3) | f.b);
  if (shape === "right" || shape === "left") {
    if (size === 3 && Q === 0) return undefined;
    return simd(name, [vectorOperand(d, size, Q), vectorOperand(n, size, Q), `#${shift}`], fn, [d, n, shift, e, lanes(size, Q)]);
  }
  if (size === 3) return undefined;
  const mnemonic = Q === 1 ? `${name}2` : name;
  const narrow = vectorOperand(shape === "narrow" ? d : n, size, Q);
  const wide = vectorOperand(shape === "narrow" ? n : d, size + 1, 1);
  if (shape === "narrow") return simd(mnemonic, [narrow, wide, `#${shift}`], fn, [d, n, shift, e, 64 / e, Q]);
  const args = [d, n, shift, e, 64 / e, Q];
  if (shift === 0) return simd(`${name === "sshll" ? "sxtl" : "uxtl"}${Q === 1 ? "2" : ""}`, [wide, narrow], fn, args);
  return simd(mnemonic, [wide, narrow, `#${shift}`], fn, args);
}

function scalarShift(f: Fields): InsnBody | undefined {
  const op = operationOf(f);
  if (op === undefined || !op[3]) return undefined;
  const [name, fn, shape] = op;
  const { d, n } = f;
  const size = sizeOf(f.h);
  const shift = amount(shape, size, (f.h << 3) | f.b);
  const saturating = name.startsWith("sq") || name.startsWith("uq");
  if (shape === "narrow") {
    if (size === 3) return undefined;
    return simd(name, [scalarOperand(d, size), scalarOperand(n, size + 1), `#${shift}`], fn, [d, n, shift, esize(size), 1, 0]);
  }
  // Only the saturating left shifts have b, h and s forms; everything else is d only.
  if (size !== 3 && !saturating) return undefined;
  return simd(name, [scalarOperand(d, size), scalarOperand(n, size), `#${shift}`], fn, [d, n, shift, esize(size), 1]);
}

export const encodings: Encoding[] = [
  { name: "Advanced SIMD shift by immediate (integer)", pattern: "0QU011110hhhhbbbooooo1nnnnnddddd", decode: vectorShift },
  { name: "Advanced SIMD scalar shift by immediate (integer)", pattern: "01U111110hhhhbbbooooo1nnnnnddddd", decode: scalarShift },
];
