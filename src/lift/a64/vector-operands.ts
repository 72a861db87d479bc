// lift/a64: SIMD&FP operand names as objdump prints them, and the helper op every table-decoded instruction uses.
import type { IrOp } from "../../config/module-json.js";

/** Arrangement of a vector operand from its element size (0..3 = 8..64 bits) and Q: "8b", "16b", .., "2d". */
export function arrangement(size: number, q: number): string {
  const lanes = (q === 1 ? 16 : 8) >> size;
  return `${lanes}${"bhsd"[size]}`;
}

/** "v3.4s" */
export function vectorOperand(n: number, size: number, q: number): string {
  return `v${n}.${arrangement(size, q)}`;
}

/** A scalar SIMD&FP register of 8..128 bits: b3, h3, s3, d3, q3 (size 0..4). */
export function scalarOperand(n: number, size: number): string {
  return `${"bhsdq"[size]}${n}`;
}

/** One helper call: [dst =] rt_a64_<fn>(cpu, pc, ...args) (docs/ir.md, runtime/core/a64/). */
export function helper(fn: string, args: (string | number)[], dst?: string): IrOp {
  return dst === undefined ? { op: "helper", fn, args } : { op: "helper", fn, dst, args };
}
