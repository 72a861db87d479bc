// lift/a64: bit-field helpers shared by the instruction-class decoders.

/** Bits hi..lo (inclusive) of a 32-bit instruction word. */
export function field(word: number, hi: number, lo: number): number {
  return (word >>> lo) & ((1 << (hi - lo + 1)) - 1 || 0xffffffff);
}

export function bit(word: number, at: number): number {
  return (word >>> at) & 1;
}

/** Sign-extends the low `bits` bits of `value` into a bigint. */
export function signExtend(value: number, bits: number): bigint {
  const v = BigInt(value) & ((1n << BigInt(bits)) - 1n);
  return v & (1n << BigInt(bits - 1)) ? v - (1n << BigInt(bits)) : v;
}

export const MASK64 = (1n << 64n) - 1n;

export function u64(value: bigint): bigint {
  return value & MASK64;
}

/** objdump's hex immediate: "#0x1f". */
export function hexImm(value: bigint | number): string {
  return `#0x${BigInt(value).toString(16)}`;
}

/** IR immediate operand: the value as an unsigned 64-bit hex immediate. */
export function irImm(value: bigint | number): string {
  return `#0x${u64(BigInt(value)).toString(16)}`;
}

export function hex64(value: bigint): string {
  return `0x${u64(value).toString(16)}`;
}

/** objdump's branch-target form when disassembling raw bytes: "0x4001a0". */
export function target(value: bigint): string {
  return `0x${u64(value).toString(16)}`;
}
