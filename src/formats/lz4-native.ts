/**
 * formats: LZ4 block decompression through lz4-napi (lz4_flex, native code on the libuv thread
 * pool): several times faster than our decoder, and segments decompress in parallel off the main
 * thread. Our decoder stays the authority on errors: a block the native one rejects, or that
 * expands to another size, is decoded again by ours, which names the byte where it goes wrong.
 * Where no native build loads (a platform lz4-napi does not ship), ours does all the work.
 */
import { createRequire } from "node:module";
import { type Lz4Origin, decompressLz4Block, lz4MaxDecompressedSize } from "./lz4.js";

interface NativeLz4 {
  /** Decompresses a raw block prefixed by its decompressed size (u32, little-endian). */
  uncompress(data: Uint8Array): Promise<Buffer>;
}

let native: NativeLz4 | null | undefined;

function nativeLz4(): NativeLz4 | null {
  if (native === undefined) {
    try {
      native = createRequire(import.meta.url)("lz4-napi") as NativeLz4;
    } catch {
      native = null;
    }
  }
  return native;
}

/** Whether the native decoder loaded on this machine (reported by benchmarks). */
export function nativeLz4Available(): boolean {
  return nativeLz4() !== null;
}

/**
 * Decompresses one LZ4 block of `blockSize` bytes that must expand to exactly `outputSize` bytes.
 * `readBlock` fills the buffer it is given with the block: the block lands right behind the size
 * prefix the native decoder needs, so a large segment is never copied on its way in.
 */
export async function decompressLz4BlockAsync(
  blockSize: number,
  readBlock: (target: Uint8Array) => Promise<void>,
  outputSize: number,
  origin: Lz4Origin,
): Promise<Uint8Array> {
  // Not zero-filled: `readBlock` writes every byte of the block (or throws), and the prefix is set below.
  const sized = Buffer.allocUnsafe(4 + blockSize);
  const block = sized.subarray(4);
  await readBlock(block);
  const lz4 = nativeLz4();
  // Sizes beyond the 255:1 bound go straight to our decoder, which refuses them without allocating.
  if (lz4 !== null && outputSize <= lz4MaxDecompressedSize(blockSize)) {
    sized.writeUInt32LE(outputSize, 0);
    const output = await lz4.uncompress(sized).catch(() => undefined);
    if (output?.length === outputSize) return output;
  }
  return decompressLz4Block(block, outputSize, origin);
}
