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

// Hex text from a table of byte digits: Number#toString(16) and BigInt#toString(16) cost about ten
// times as much, and a lift formats several numbers per instruction (docs/benchmarks.md, issue 10).
const bytePairs = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const byteDigits = Array.from({ length: 256 }, (_, i) => i.toString(16));

/** Lower-case hex digits, no leading zeros, of an integer in [0, 2^32). */
function hex32(value: number): string {
  if (value < 0x100) return byteDigits[value];
  if (value < 0x10000) return byteDigits[value >>> 8] + bytePairs[value & 255];
  const low = bytePairs[(value >>> 8) & 255] + bytePairs[value & 255];
  return value < 0x1000000 ? byteDigits[value >>> 16] + low : byteDigits[value >>> 24] + bytePairs[(value >>> 16) & 255] + low;
}

const padded32 = (value: number): string =>
  bytePairs[value >>> 24] + bytePairs[(value >>> 16) & 255] + bytePairs[(value >>> 8) & 255] + bytePairs[value & 255];

/** Lower-case hex digits, no leading zeros, as `value.toString(16)` gives them for a safe non-negative integer. */
export function hexDigits(value: number): string {
  if (value <= 0xffffffff) return hex32(value);
  const high = Math.floor(value / 0x100000000);
  return hex32(high) + padded32(value - high * 0x100000000);
}

/** `value.toString(16)`, from the table when `value` is a safe non-negative integer. */
export function hexOf(value: bigint | number): string {
  return value >= 0 && value <= Number.MAX_SAFE_INTEGER && Number.isInteger(Number(value)) ? hexDigits(Number(value)) : value.toString(16);
}

/** Hex digits of the unsigned 64-bit value of `value`. */
function u64Digits(value: bigint | number): string {
  if (typeof value === "number" && value >= 0 && value <= Number.MAX_SAFE_INTEGER) return hexDigits(value);
  const big = u64(BigInt(value));
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? hexDigits(Number(big)) : big.toString(16);
}

/** objdump's hex immediate: "#0x1f". */
export function hexImm(value: bigint | number): string {
  if (value >= 0 && value <= Number.MAX_SAFE_INTEGER) return `#0x${hexDigits(Number(value))}`;
  return `#0x${BigInt(value).toString(16)}`;
}

/** IR immediate operand: the value as an unsigned 64-bit hex immediate. */
export function irImm(value: bigint | number): string {
  return `#0x${u64Digits(value)}`;
}

export function hex64(value: bigint): string {
  return `0x${u64Digits(value)}`;
}

/** objdump's branch-target form when disassembling raw bytes: "0x4001a0". */
export function target(value: bigint): string {
  return `0x${u64Digits(value)}`;
}
