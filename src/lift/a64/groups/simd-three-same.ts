// lift/a64/groups: Advanced SIMD three same (vector and scalar), integer: arithmetic, logic, compares, shifts
// by register, saturating and halving forms, pairwise add/max/min, sqdmulh, pmul.
import type { Encoding, Fields } from "../encoding-table.js";
import { allows, dnm, esize, lanes, sameScalars, sameVectors, simd, vectorForm, type Sizes } from "../simd-forms.js";
import type { InsnBody } from "../types.js";
import { vectorOperand } from "../vector-operands.js";

/** [mnemonic, helper, sizes allowed in vector form, sizes allowed in scalar form] by U:opcode (bits 29, 15..11). */
type Operation = [string, string, Sizes, Sizes];
const operations: Record<string, Operation> = {
  "0:00000": ["shadd", "shadd", "012", ""], "1:00000": ["uhadd", "uhadd", "012", ""],
  "0:00001": ["sqadd", "sqadd", "0123", "0123"], "1:00001": ["uqadd", "uqadd", "0123", "0123"],
  "0:00010": ["srhadd", "srhadd", "012", ""], "1:00010": ["urhadd", "urhadd", "012", ""],
  "0:00100": ["shsub", "shsub", "012", ""], "1:00100": ["uhsub", "uhsub", "012", ""],
  "0:00101": ["sqsub", "sqsub", "0123", "0123"], "1:00101": ["uqsub", "uqsub", "0123", "0123"],
  "0:00110": ["cmgt", "cmgt", "0123", "3"], "1:00110": ["cmhi", "cmhi", "0123", "3"],
  "0:00111": ["cmge", "cmge", "0123", "3"], "1:00111": ["cmhs", "cmhs", "0123", "3"],
  "0:01000": ["sshl", "sshl", "0123", "3"], "1:01000": ["ushl", "ushl", "0123", "3"],
  "0:01001": ["sqshl", "sqshl", "0123", "0123"], "1:01001": ["uqshl", "uqshl", "0123", "0123"],
  "0:01010": ["srshl", "srshl", "0123", "3"], "1:01010": ["urshl", "urshl", "0123", "3"],
  "0:01011": ["sqrshl", "sqrshl", "0123", "0123"], "1:01011": ["uqrshl", "uqrshl", "0123", "0123"],
  "0:01100": ["smax", "smax", "012", ""], "1:01100": ["umax", "umax", "012", ""],
  "0:01101": ["smin", "smin", "012", ""], "1:01101": ["umin", "umin", "012", ""],
  "0:01110": ["sabd", "sabd", "012", ""], "1:01110": ["uabd", "uabd", "012", ""],
  "0:01111": ["saba", "saba", "012", ""], "1:01111": ["uaba", "uaba", "012", ""],
  "0:10000": ["add", "add", "0123", "3"], "1:10000": ["sub", "sub", "0123", "3"],
  "0:10001": ["cmtst", "cmtst", "0123", "3"], "1:10001": ["cmeq", "cmeq", "0123", "3"],
  "0:10010": ["mla", "mla", "012", ""], "1:10010": ["mls", "mls", "012", ""],
  "0:10011": ["mul", "mul", "012", ""], "1:10011": ["pmul", "pmul", "0", ""],
  "0:10100": ["smaxp", "smaxp", "012", ""], "1:10100": ["umaxp", "umaxp", "012", ""],
  "0:10101": ["sminp", "sminp", "012", ""], "1:10101": ["uminp", "uminp", "012", ""],
  "0:10110": ["sqdmulh", "sqdmulh", "12", "12"], "1:10110": ["sqrdmulh", "sqrdmulh", "12", "12"],
  "0:10111": ["addp", "addp", "0123", ""],
};

/** and/bic/orr/orn (U=0) and eor/bsl/bit/bif (U=1): the size field chooses the operation. */
const logical = [["and", "bic", "orr", "orn"], ["eor", "bsl", "bit", "bif"]];

function vectorSame(f: Fields): InsnBody | undefined {
  const [d, n, m] = dnm(f);
  const opcode = f.o.toString(2).padStart(5, "0");
  if (opcode === "00011") {
    const name = logical[f.U][f.z];
    const args = [d, n, m, 64, f.Q + 1];
    if (name === "orr" && n === m) return simd("mov", sameVectors([d, n], 0, f.Q), "orr", args);
    return simd(name, sameVectors([d, n, m], 0, f.Q), name, args);
  }
  const op = operations[`${f.U}:${opcode}`] as Operation | undefined;
  if (op === undefined || !allows(op[2], f.z) || !vectorForm(f.z, f.Q)) return undefined;
  return simd(op[0], sameVectors([d, n, m], f.z, f.Q), op[1], [d, n, m, esize(f.z), lanes(f.z, f.Q)]);
}

function scalarSame(f: Fields): InsnBody | undefined {
  const [d, n, m] = dnm(f);
  const op = operations[`${f.U}:${f.o.toString(2).padStart(5, "0")}`] as Operation | undefined;
  if (op === undefined || !allows(op[3], f.z)) return undefined;
  return simd(op[0], sameScalars([d, n, m], f.z), op[1], [d, n, m, esize(f.z), 1]);
}

/** addp d0, v1.2d: the scalar pairwise add of a vector's two doublewords. */
function scalarAddp(f: Fields): InsnBody | undefined {
  if (f.z !== 3) return undefined;
  return simd("addp", [`d${f.d}`, vectorOperand(f.n, 3, 1)], "addp", [f.d, f.n, f.n, 64, 1]);
}

export const encodings: Encoding[] = [
  { name: "Advanced SIMD three same (integer)", pattern: "0QU01110zz1mmmmmooooo1nnnnnddddd", decode: vectorSame },
  { name: "Advanced SIMD scalar three same (integer)", pattern: "01U11110zz1mmmmmooooo1nnnnnddddd", decode: scalarSame },
  { name: "ADDP (scalar)", pattern: "01011110zz110001101110nnnnnddddd", decode: scalarAddp },
];
