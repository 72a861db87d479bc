// validate: the alignment's block statistics and block SSIM in the WebAssembly module (wasm/thumb-blocks.ts):
// the same integer sums and floating-point operations as ThumbBlocks and blockSsim in frame-similarity.ts, in
// the same order, so the same doubles.
import { signatureBytes } from "../media/index.js";
import { measureWasm } from "./measure-wasm.js";

/** Per-frame block means and variances of one side's luma thumbnails (48 blocks of 8x6 per frame). */
export interface BlockStats {
  readonly means: Float64Array;
  readonly variances: Float64Array;
}

/** Both sides' block statistics, and block SSIM between a reference and a capture frame. */
export interface BlockPair {
  ref: BlockStats;
  cap: BlockStats;
  ssim(ref: number, cap: number): number;
}

const blockCount = 48;

/**
 * Both sides' thumbnails copied into the module's arena, their block statistics, and SSIM read from there;
 * undefined when the module is not built. Valid until the next call (which reuses the arena), so a
 * comparison uses it and drops it before another starts (comparisons are synchronous).
 */
export function blocksInWasm(refThumbs: Uint8Array, capThumbs: Uint8Array, c1: number, c2: number): BlockPair | undefined {
  const wasm = measureWasm();
  if (wasm === null) return undefined;
  const n = refThumbs.length / signatureBytes;
  const m = capThumbs.length / signatureBytes;
  // Thumbnails (2304 bytes each: every part stays 16-byte aligned for the SIMD loads), then statistics.
  const capAt = refThumbs.length;
  const refStats = capAt + capThumbs.length;
  const capStats = refStats + 2 * n * blockCount * 8;
  const base = wasm.arena(capStats + 2 * m * blockCount * 8);
  const buffer = wasm.memory.buffer;
  new Uint8Array(buffer, base, refThumbs.length).set(refThumbs);
  new Uint8Array(buffer, base + capAt, capThumbs.length).set(capThumbs);
  const side = (thumbs: number, frames: number, stats: number): BlockStats & { at: number[] } => {
    const at = [base + thumbs, base + stats, base + stats + frames * blockCount * 8];
    wasm.blockStats(at[0], frames, at[1], at[2]);
    return { at, means: new Float64Array(buffer, at[1], frames * blockCount), variances: new Float64Array(buffer, at[2], frames * blockCount) };
  };
  const ref = side(0, n, refStats);
  const cap = side(capAt, m, capStats);
  wasm.useSides(ref.at[0], ref.at[1], ref.at[2], cap.at[0], cap.at[1], cap.at[2], c1, c2);
  return { ref, cap, ssim: (i, j) => wasm.blockSsim(i, j) };
}
