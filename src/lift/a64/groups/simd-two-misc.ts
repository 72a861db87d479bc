// lift/a64/groups: Advanced SIMD two-register miscellaneous, integer (vector and scalar): reverses, pairwise
// long adds, saturating accumulate/abs/neg, bit counts, compares with zero, narrowing moves, shll.
import type { Encoding, Fields } from "../encoding-table.js";
import { allows, esize, lanes, simd, vectorForm, type Sizes } from "../simd-forms.js";
import type { InsnBody } from "../types.js";
import { scalarOperand, vectorOperand } from "../vector-operands.js";

type Shape = "lanewise" | "zero" | "rev" | "pairwise" | "narrow" | "shll";
/** [mnemonic, helper, shape, sizes (vector), sizes (scalar)] by U:opcode (bits 29, 16..12). */
type Operation = [string, string, Shape, Sizes, Sizes];
const operations: Record<string, Operation> = {
  "0:00000": ["rev64", "rev", "rev", "012", ""], "0:00001": ["rev16", "rev", "rev", "0", ""],
  "1:00000": ["rev32", "rev", "rev", "01", ""],
  "0:00010": ["saddlp", "saddlp", "pairwise", "012", ""], "1:00010": ["uaddlp", "uaddlp", "pairwise", "012", ""],
  "0:00110": ["sadalp", "sadalp", "pairwise", "012", ""], "1:00110": ["uadalp", "uadalp", "pairwise", "012", ""],
  "0:00011": ["suqadd", "suqadd_imm", "lanewise", "0123", "0123"], "1:00011": ["usqadd", "usqadd_imm", "lanewise", "0123", "0123"],
  "0:00100": ["cls", "cls_imm", "lanewise", "012", ""], "1:00100": ["clz", "clz_imm", "lanewise", "012", ""],
  "0:00101": ["cnt", "cnt_imm", "lanewise", "0", ""],
  "0:00111": ["sqabs", "sqabs_imm", "lanewise", "0123", "0123"], "1:00111": ["sqneg", "sqneg_imm", "lanewise", "0123", "0123"],
  "0:01000": ["cmgt", "cmgt_imm", "zero", "0123", "3"], "1:01000": ["cmge", "cmge_imm", "zero", "0123", "3"],
  "0:01001": ["cmeq", "cmeq_imm", "zero", "0123", "3"], "1:01001": ["cmle", "cmle_imm", "zero", "0123", "3"],
  "0:01010": ["cmlt", "cmlt_imm", "zero", "0123", "3"],
  "0:01011": ["abs", "abs_imm", "lanewise", "0123", "3"], "1:01011": ["neg", "neg_imm", "lanewise", "0123", "3"],
  "0:10010": ["xtn", "xtn_narrow", "narrow", "012", ""], "1:10010": ["sqxtun", "sqxtun_narrow", "narrow", "012", "012"],
  "0:10100": ["sqxtn", "sqxtn_narrow", "narrow", "012", "012"], "1:10100": ["uqxtn", "uqxtn_narrow", "narrow", "012", "012"],
  "1:10011": ["shll", "ushll_long", "shll", "012", ""],
};

function operation(f: Fields): Operation | undefined {
  return operations[`${f.U}:${f.o.toString(2).padStart(5, "0")}`];
}

/** not (printed mvn) and rbit share U=1 opcode 00101, told apart by size. */
function notOrRbit(f: Fields): InsnBody | undefined {
  if (f.z > 1) return undefined;
  const [mnemonic, fn] = f.z === 0 ? ["mvn", "not_imm"] : ["rbit", "rbit_imm"];
  return simd(mnemonic, [vectorOperand(f.d, 0, f.Q), vectorOperand(f.n, 0, f.Q)], fn, [f.d, f.n, 0, 8, lanes(0, f.Q)]);
}

function vectorMisc(f: Fields): InsnBody | undefined {
  if (f.U === 1 && f.o === 0b00101) return notOrRbit(f);
  const op = operation(f);
  if (op === undefined || !allows(op[3], f.z)) return undefined;
  const [name, fn, shape] = op;
  const { d, n, z, Q } = f;
  const e = esize(z);
  const same = [vectorOperand(d, z, Q), vectorOperand(n, z, Q)];
  const part = Q === 1 ? `${name}2` : name;
  switch (shape) {
    case "lanewise":
    case "zero":
      if (!vectorForm(z, Q)) return undefined;
      return simd(name, shape === "zero" ? [...same, "#0"] : same, fn, [d, n, 0, e, lanes(z, Q)]);
    case "rev": {
      const container = { rev16: 16, rev32: 32, rev64: 64 }[name] ?? 64;
      return simd(name, same, fn, [d, n, container, e, lanes(z, Q)]);
    }
    case "pairwise":
      return simd(name, [vectorOperand(d, z + 1, Q), vectorOperand(n, z, Q)], fn, [d, n, e, lanes(z + 1, Q)]);
    case "narrow":
      return simd(part, [vectorOperand(d, z, Q), vectorOperand(n, z + 1, 1)], fn, [d, n, 0, e, 64 / e, Q]);
    case "shll":
      return simd(part, [vectorOperand(d, z + 1, 1), vectorOperand(n, z, Q), `#${e}`], fn, [d, n, e, e, 64 / e, Q]);
  }
}

function scalarMisc(f: Fields): InsnBody | undefined {
  const op = operation(f);
  if (op === undefined || !allows(op[4], f.z)) return undefined;
  const [name, fn, shape] = op;
  const { d, n, z } = f;
  if (shape === "narrow") return simd(name, [scalarOperand(d, z), scalarOperand(n, z + 1)], fn, [d, n, 0, esize(z), 1, 0]);
  const operands = [scalarOperand(d, z), scalarOperand(n, z)];
  return simd(name, shape === "zero" ? [...operands, "#0"] : operands, fn, [d, n, 0, esize(z), 1]);
}

export const encodings: Encoding[] = [
  { name: "Advanced SIMD two-register miscellaneous (integer)", pattern: "0QU01110zz10000ooooo10nnnnnddddd", decode: vectorMisc },
  { name: "Advanced SIMD scalar two-register miscellaneous (integer)", pattern: "01U11110zz10000ooooo10nnnnnddddd", decode: scalarMisc },
];
