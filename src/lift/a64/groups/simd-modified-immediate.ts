// lift/a64/groups: Advanced SIMD modified immediate: movi, mvni, orr, bic (vector, immediate) and fmov (vector,
// immediate), with the architecture's AdvSIMDExpandImm as the 64-bit pattern a helper writes.
import type { Encoding, Fields } from "../encoding-table.js";
import { hexImm, irImm } from "../bits.js";
import { body, type InsnBody } from "../types.js";
import { helper, vectorOperand } from "../vector-operands.js";

function replicate(value: bigint, width: number): bigint {
  let out = 0n;
  for (let at = 0; at < 64; at += width) out |= value << BigInt(at);
  return out;
}

/** movi d/2d: each bit of imm8 becomes a byte of ones or zeros. */
function byteMask(imm8: number): bigint {
  let out = 0n;
  for (let i = 0; i < 8; i++) if ((imm8 >> i) & 1) out |= 0xffn << BigInt(8 * i);
  return out;
}

/** objdump's FP immediate: "%.18e" of the value. */
function fpText(value: number): string {
  const [mantissa, exponent] = value.toExponential(18).split("e");
  const sign = exponent.startsWith("-") ? "-" : "+";
  return `#${mantissa}e${sign}${exponent.replace(/^[+-]/, "").padStart(2, "0")}`;
}

/** VFPExpandImm: imm8 as a single (bits) or double (bits) value. */
function fpImmediate(imm8: number, double: boolean): { bits: bigint; value: number } {
  const sign = BigInt(imm8 >> 7);
  const b = (imm8 >> 6) & 1;
  const cd = BigInt((imm8 >> 4) & 3);
  const efgh = BigInt(imm8 & 15);
  const exponent = double
    ? (BigInt(b ^ 1) << 10n) | ((b === 1 ? 0xffn : 0n) << 2n) | cd
    : (BigInt(b ^ 1) << 7n) | ((b === 1 ? 0x1fn : 0n) << 2n) | cd;
  const bits = double
    ? (sign << 63n) | (exponent << 52n) | (efgh << 48n)
    : (sign << 31n) | (exponent << 23n) | (efgh << 19n);
  const view = new DataView(new ArrayBuffer(8));
  if (double) view.setBigUint64(0, bits);
  else view.setUint32(0, Number(bits));
  return { bits, value: double ? view.getFloat64(0) : view.getFloat32(0) };
}

function write(kind: "set" | "orr" | "bic", d: number, value: bigint, q: number): ReturnType<typeof helper> {
  return helper(`simd_imm_${kind}`, [d, irImm(value), q]);
}

function modifiedImmediate(f: Fields): InsnBody | undefined {
  const { d, Q, c: cmode, o: op } = f;
  const imm8 = (f.a << 5) | f.b;
  const imm = BigInt(imm8);
  if (cmode < 8 || cmode === 8 || cmode === 9 || cmode === 10 || cmode === 11) {
    const halves = cmode >= 8;
    const shift = halves ? 8 * ((cmode >> 1) & 1) : 8 * ((cmode >> 1) & 3);
    const width = halves ? 16 : 32;
    const element = imm << BigInt(shift);
    const operands = `${vectorOperand(d, halves ? 1 : 2, Q)}, ${hexImm(imm)}${shift === 0 ? "" : `, lsl #${shift}`}`;
    if ((cmode & 1) === 0) {
      const value = replicate(op === 1 ? ~element & ((1n << BigInt(width)) - 1n) : element, width);
      return body(op === 1 ? "mvni" : "movi", operands, [write("set", d, value, Q)]);
    }
    return body(op === 1 ? "bic" : "orr", operands, [write(op === 1 ? "bic" : "orr", d, replicate(element, width), Q)]);
  }
  if (cmode === 12 || cmode === 13) {
    const shift = cmode === 12 ? 8 : 16;
    const element = (imm << BigInt(shift)) | ((1n << BigInt(shift)) - 1n);
    const value = replicate(op === 1 ? ~element & 0xffffffffn : element, 32);
    return body(op === 1 ? "mvni" : "movi", `${vectorOperand(d, 2, Q)}, ${hexImm(imm)}, msl #${shift}`, [write("set", d, value, Q)]);
  }
  if (cmode === 14) {
    if (op === 0) return body("movi", `${vectorOperand(d, 0, Q)}, ${hexImm(imm)}`, [write("set", d, replicate(imm, 8), Q)]);
    const value = byteMask(imm8);
    return body("movi", `${Q === 1 ? `v${d}.2d` : `d${d}`}, ${hexImm(value)}`, [write("set", d, value, Q)]);
  }
  if (op === 1 && Q === 0) return undefined;
  const double = op === 1;
  const { bits, value } = fpImmediate(imm8, double);
  return body("fmov", `${vectorOperand(d, double ? 3 : 2, Q)}, ${fpText(value)}`, [write("set", d, double ? bits : replicate(bits, 32), Q)]);
}

export const encodings: Encoding[] = [
  { name: "Advanced SIMD modified immediate", pattern: "0Qo0111100000aaacccc01bbbbbddddd", decode: modifiedImmediate },
];
