// lift/a64/groups: Advanced SIMD copy: dup (element, general, and the scalar form objdump prints as mov),
// ins (element, general; printed mov), umov (mov for 32/64-bit lanes) and smov.
import type { Encoding, Fields } from "../encoding-table.js";
import { esize, lanes, simd } from "../simd-forms.js";
import { body, type InsnBody } from "../types.js";
import { helper, vectorOperand } from "../vector-operands.js";
import { irReg, regName } from "../operands.js";

/** Element size (0..3) from imm5: its lowest set bit; undefined for imm5 = x0000. */
function sizeOf(imm5: number): number | undefined {
  for (let size = 0; size < 4; size++) if ((imm5 >> size) & 1) return size;
  return undefined;
}

function lane(n: number, size: number, index: number): string {
  return `v${n}.${"bhsd"[size]}[${index}]`;
}

function copy(f: Fields): InsnBody | undefined {
  const size = sizeOf(f.i);
  if (size === undefined) return undefined;
  const index = f.i >> (size + 1);
  const { d, n, Q } = f;
  const e = esize(size);
  if (f.o === 1) {
    if (Q === 0) return undefined;
    const from = f.j >> size;
    return simd("mov", [lane(d, size, index), lane(n, size, from)], "ins_elem", [d, index, n, from, e]);
  }
  switch (f.j) {
    case 0b0000:
      if (size === 3 && Q === 0) return undefined;
      return simd("dup", [vectorOperand(d, size, Q), lane(n, size, index)], "dup_elem", [d, n, index, e, lanes(size, Q)]);
    case 0b0001:
      if (size === 3 && Q === 0) return undefined;
      return body("dup", `${vectorOperand(d, size, Q)}, ${regName(n, size === 3, false)}`, [helper("simd_dup_general", [d, irReg(n, false), e, lanes(size, Q)])]);
    case 0b0011:
      if (Q === 0) return undefined;
      return body("mov", `${lane(d, size, index)}, ${regName(n, size === 3, false)}`, [helper("simd_ins_general", [d, index, irReg(n, false), e])]);
    case 0b0101: {
      if (size >= 2 + Q) return undefined;
      const dst = irReg(d, false);
      return body("smov", `${regName(d, Q === 1, false)}, ${lane(n, size, index)}`, dst === "xzr" ? [] : [helper("simd_smov", [n, index, e, Q === 1 ? 64 : 32], dst)]);
    }
    case 0b0111: {
      if (Q === 1 ? size !== 3 : size === 3) return undefined;
      const dst = irReg(d, false);
      const mnemonic = size >= 2 ? "mov" : "umov";
      return body(mnemonic, `${regName(d, Q === 1, false)}, ${lane(n, size, index)}`, dst === "xzr" ? [] : [helper("simd_umov", [n, index, e], dst)]);
    }
    default:
      return undefined;
  }
}

/** dup b/h/s/d, v.T[i]: objdump prints it as mov. */
function scalarDup(f: Fields): InsnBody | undefined {
  const size = sizeOf(f.i);
  if (size === undefined) return undefined;
  const index = f.i >> (size + 1);
  return simd("mov", [`${"bhsd"[size]}${f.d}`, lane(f.n, size, index)], "dup_elem", [f.d, f.n, index, esize(size), 1]);
}

export const encodings: Encoding[] = [
  { name: "Advanced SIMD copy", pattern: "0Qo01110000iiiii0jjjj1nnnnnddddd", decode: copy },
  { name: "Advanced SIMD scalar copy (DUP element)", pattern: "01011110000iiiii000001nnnnnddddd", decode: scalarDup },
];
