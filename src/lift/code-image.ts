// lift: the guest's memory image as the lifter sees it: segments at load addresses, code readable by word.
import type { IrSegment } from "../config/module-json.js";

export interface LiftSegment {
  name: string;
  base: bigint;
  /** Initial bytes (file contents); memory beyond them up to `size` is zero (bss). */
  bytes: Uint8Array;
  size: number;
  permissions: IrSegment["permissions"];
  /** Where the segment's first byte is in the input file, when it is stored there as mapped. */
  file?: { label: string; offset: number };
}

export class CodeImage {
  constructor(readonly segments: readonly LiftSegment[]) {}

  /** The instruction word at `address`, or undefined outside executable initialised bytes. */
  word(address: bigint): number | undefined {
    if ((address & 3n) !== 0n) return undefined;
    for (const segment of this.segments) {
      if (!segment.permissions.execute || address < segment.base) continue;
      const offset = Number(address - segment.base);
      if (offset + 4 <= segment.bytes.length) {
        const b = segment.bytes;
        return ((b[offset]) | ((b[offset + 1]) << 8) | ((b[offset + 2]) << 16) | ((b[offset + 3]) << 24)) >>> 0;
      }
    }
    return undefined;
  }

  /** Little-endian bytes at `address` from any initialised segment (jump tables live in rodata). */
  read(address: bigint, size: number): Uint8Array | undefined {
    const bytes = this.readUpTo(address, size);
    return bytes.length === size ? bytes : undefined;
  }

  /** Up to `size` initialised bytes from `address`, cut at the end of its segment; empty outside every segment. */
  readUpTo(address: bigint, size: number): Uint8Array {
    for (const segment of this.segments) {
      if (address < segment.base) continue;
      const offset = Number(address - segment.base);
      if (offset < segment.bytes.length) return segment.bytes.subarray(offset, Math.min(segment.bytes.length, offset + size));
    }
    return new Uint8Array(0);
  }
}
