// lift/a64/groups: Advanced SIMD permutes (zip1/zip2, uzp1/uzp2, trn1/trn2), ext and table lookup (tbl/tbx).
import type { Encoding, Fields } from "../encoding-table.js";
import { esize, lanes, simd, vectorForm } from "../simd-forms.js";
import type { InsnBody } from "../types.js";
import { vectorOperand } from "../vector-operands.js";

/** [name, kind (RT_PERMUTE_* in runtime/core/a64/simd_copy.h), part] by opcode (bits 14..12). */
const permutes: Record<number, [string, number, number]> = {
  0b001: ["uzp1", 1, 0], 0b010: ["trn1", 2, 0], 0b011: ["zip1", 0, 0],
  0b101: ["uzp2", 1, 1], 0b110: ["trn2", 2, 1], 0b111: ["zip2", 0, 1],
};

function permute(f: Fields): InsnBody | undefined {
  const op = permutes[f.o] as [string, number, number] | undefined;
  if (op === undefined || !vectorForm(f.z, f.Q)) return undefined;
  const [name, kind, part] = op;
  const regs = [f.d, f.n, f.m].map((r) => vectorOperand(r, f.z, f.Q));
  return simd(name, regs, "permute", [f.d, f.n, f.m, kind, part, esize(f.z), lanes(f.z, f.Q)]);
}

function ext(f: Fields): InsnBody | undefined {
  if (f.Q === 0 && f.i >= 8) return undefined;
  const regs = [f.d, f.n, f.m].map((r) => vectorOperand(r, 0, f.Q));
  return simd("ext", [...regs, `#${f.i}`], "ext", [f.d, f.n, f.m, f.i, f.Q === 1 ? 16 : 8]);
}

function tableLookup(f: Fields): InsnBody | undefined {
  const count = f.L + 1;
  const registers = Array.from({ length: count }, (_, i) => `v${(f.n + i) % 32}.16b`);
  // objdump writes three or four registers as a range unless the list wraps past v31.
  const range = count >= 3 && f.n + count <= 32;
  const table = range ? `${registers[0]}-${registers[count - 1]}` : registers.join(", ");
  const name = f.o === 1 ? "tbx" : "tbl";
  return simd(name, [vectorOperand(f.d, 0, f.Q), `{${table}}`, vectorOperand(f.m, 0, f.Q)], "tbl", [f.d, f.n, count, f.m, f.o, f.Q === 1 ? 16 : 8]);
}

export const encodings: Encoding[] = [
  { name: "Advanced SIMD permute", pattern: "0Q001110zz0mmmmm0ooo10nnnnnddddd", decode: permute },
  { name: "Advanced SIMD extract", pattern: "0Q101110000mmmmm0iiii0nnnnnddddd", decode: ext },
  { name: "Advanced SIMD table lookup", pattern: "0Q001110000mmmmm0LLo00nnnnnddddd", decode: tableLookup },
];
