// lift/a64: the logical-immediate (bitmask) decoding of the A64 architecture (DecodeBitMasks).

/** The immediate encoded by N:immr:imms for a `width`-bit operation, or undefined when reserved. */
export function decodeBitMask(n: number, immr: number, imms: number, width: 32 | 64): bigint | undefined {
  const combined = (n << 6) | (~imms & 0x3f);
  if (combined === 0) return undefined;
  const len = 31 - Math.clz32(combined);
  if (len < 1) return undefined;
  if (width === 32 && n === 1) return undefined;
  const levels = (1 << len) - 1;
  if ((imms & levels) === levels) return undefined;
  const s = imms & levels;
  const r = immr & levels;
  const esize = 1 << len;
  const emask = (1n << BigInt(esize)) - 1n;
  const welem = (1n << BigInt(s + 1)) - 1n;
  const rotated = r === 0 ? welem : ((welem >> BigInt(r)) | (welem << BigInt(esize - r))) & emask;
  let value = 0n;
  for (let at = 0; at < width; at += esize) value |= rotated << BigInt(at);
  return value;
}

/** True when one movz or movn of the same width writes `value` (then objdump prefers that spelling). */
export function isMoveWideImmediate(value: bigint, width: 32 | 64): boolean {
  const mask = (1n << BigInt(width)) - 1n;
  const fits = (v: bigint): boolean => {
    for (let shift = 0n; shift < BigInt(width); shift += 16n) {
      if ((v & ~(0xffffn << shift) & mask) === 0n) return true;
    }
    return false;
  };
  return fits(value & mask) || fits(~value & mask);
}
