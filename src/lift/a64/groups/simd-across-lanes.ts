// lift/a64/groups: Advanced SIMD across lanes, integer: addv, saddlv/uaddlv, smaxv/umaxv, sminv/uminv.
import type { Encoding, Fields } from "../encoding-table.js";
import { esize, lanes, simd } from "../simd-forms.js";
import type { InsnBody } from "../types.js";
import { scalarOperand, vectorOperand } from "../vector-operands.js";

/** [mnemonic, reduction kind (RT_ACROSS_* in runtime/core/a64/simd_copy.h), long result] by U:opcode. */
const operations: Record<string, [string, number, boolean]> = {
  "0:11011": ["addv", 0, false],
  "0:00011": ["saddlv", 1, true], "1:00011": ["uaddlv", 2, true],
  "0:01010": ["smaxv", 3, false], "1:01010": ["umaxv", 4, false],
  "0:11010": ["sminv", 5, false], "1:11010": ["uminv", 6, false],
};

function across(f: Fields): InsnBody | undefined {
  const op = operations[`${f.U}:${f.o.toString(2).padStart(5, "0")}`] as [string, number, boolean] | undefined;
  // Four lanes at least: size 2 only as 4s, size 3 never.
  if (op === undefined || f.z === 3 || (f.z === 2 && f.Q === 0)) return undefined;
  const [name, kind, long] = op;
  const operands = [scalarOperand(f.d, long ? f.z + 1 : f.z), vectorOperand(f.n, f.z, f.Q)];
  return simd(name, operands, "across", [f.d, f.n, kind, esize(f.z), lanes(f.z, f.Q)]);
}

export const encodings: Encoding[] = [
  { name: "Advanced SIMD across lanes (integer)", pattern: "0QU01110zz11000ooooo10nnnnnddddd", decode: across },
];
