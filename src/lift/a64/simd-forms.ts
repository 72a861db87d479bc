// lift/a64: what the Advanced SIMD integer groups share: element sizes and lane counts, operand text, helper calls.
import type { Fields } from "./encoding-table.js";
import { body, type InsnBody } from "./types.js";
import { helper, scalarOperand, vectorOperand } from "./vector-operands.js";

/** Element size in bits of a size field (0..3). */
export function esize(size: number): number {
  return 8 << size;
}

/** Lanes of a vector of `size` elements: 64 or 128 bits by Q. */
export function lanes(size: number, q: number): number {
  return (q === 1 ? 16 : 8) >> size;
}

/** Vector forms of 64-bit elements need Q=1: there is no "1d" arrangement. */
export function vectorForm(size: number, q: number): boolean {
  return size !== 3 || q === 1;
}

/** A helper call with the destination, sources, element size and lanes: rt_a64_simd_<fn>(cpu, pc, ...). */
export function simd(mnemonic: string, operands: string[], fn: string, args: number[]): InsnBody {
  return body(mnemonic, operands.join(", "), [helper(`simd_${fn}`, args)]);
}

/** Sizes (0..3) an operation allows, as a string of digits ("012" = b, h, s). */
export type Sizes = string;

export function allows(sizes: Sizes, size: number): boolean {
  return sizes.includes(String(size));
}

/** Operands of a lanewise vector instruction: every register with the same arrangement. */
export function sameVectors(regs: number[], size: number, q: number): string[] {
  return regs.map((r) => vectorOperand(r, size, q));
}

export function sameScalars(regs: number[], size: number): string[] {
  return regs.map((r) => scalarOperand(r, size));
}

/** Fields d, n, m (register numbers) as numbers. */
export function dnm(f: Fields): [number, number, number] {
  return [f.d, f.n, f.m];
}
