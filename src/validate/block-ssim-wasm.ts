// validate: the alignment's block statistics and block SSIM in the WebAssembly module (wasm/thumb-blocks.ts):
// the same integer sums and floating-point operations as ThumbBlocks and blockSsim in frame-similarity.ts, in
// the same order, so the same doubles.
import { signatureBytes } from "../media/index.js";
import { measureWasm, newMeasureInstance, type MeasureWasm } from "./measure-wasm.js";

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
/** Bytes of one frame's block statistics (means and variances, f64). */
const statsBytes = 2 * blockCount * 8;

/** A module instance of its own holding two sides' luma thumbnails, and where the room for their statistics starts. */
interface LumaHome {
  wasm: MeasureWasm;
  frames: number;
  statsAt: number;
}

/** Memories that luma thumbnails were placed in by `lumaInWasm`, by their buffer. */
const homes = new WeakMap<ArrayBuffer, LumaHome>();

/**
 * Room for two sides' luma thumbnails (`refFrames` and `capFrames` of them) in a new instance of the module,
 * with room for their block statistics after them: thumbnails read straight into these arrays are not copied
 * again by `blocksInWasm` (copying 20.7 MB into fresh memory cost about as much as reading it). The instance
 * is this comparison's own, and its memory never grows again, so the arrays stay valid. Undefined when the
 * module is not built.
 */
export function lumaInWasm(refFrames: number, capFrames: number): { ref: Uint8Array; cap: Uint8Array } | undefined {
  const wasm = newMeasureInstance();
  if (wasm === null) return undefined;
  const frames = refFrames + capFrames;
  const base = wasm.arena(frames * (signatureBytes + statsBytes));
  const buffer = wasm.memory.buffer;
  homes.set(buffer, { wasm, frames, statsAt: base + frames * signatureBytes });
  return { ref: new Uint8Array(buffer, base, refFrames * signatureBytes), cap: new Uint8Array(buffer, base + refFrames * signatureBytes, capFrames * signatureBytes) };
}

/** Where the two sides' thumbnails and statistics are in a module's memory. */
interface Layout {
  wasm: MeasureWasm;
  refAt: number;
  capAt: number;
  refStats: number;
  capStats: number;
}

/** In the instance `lumaInWasm` made when both sides' thumbnails are there, else copied into the shared instance's arena. */
function layout(refThumbs: Uint8Array, capThumbs: Uint8Array, n: number, m: number): Layout | undefined {
  const home = homes.get(refThumbs.buffer as ArrayBuffer);
  if (home !== undefined && capThumbs.buffer === refThumbs.buffer && n + m <= home.frames) {
    return { wasm: home.wasm, refAt: refThumbs.byteOffset, capAt: capThumbs.byteOffset, refStats: home.statsAt, capStats: home.statsAt + n * statsBytes };
  }
  const wasm = measureWasm();
  if (wasm === null) return undefined;
  // Thumbnails (2304 bytes each: every part stays 16-byte aligned for the SIMD loads), then statistics.
  const capAt = refThumbs.length;
  const refStats = capAt + capThumbs.length;
  const capStats = refStats + n * statsBytes;
  const base = wasm.arena(capStats + m * statsBytes);
  const buffer = wasm.memory.buffer;
  new Uint8Array(buffer, base, refThumbs.length).set(refThumbs);
  new Uint8Array(buffer, base + capAt, capThumbs.length).set(capThumbs);
  return { wasm, refAt: base, capAt: base + capAt, refStats: base + refStats, capStats: base + capStats };
}

/**
 * Both sides' block statistics in the module, and SSIM read from there; undefined when the module is not
 * built. Thumbnails not placed by `lumaInWasm` are copied into the shared instance's arena: the result is
 * then valid until the next call (which reuses the arena), so a comparison uses it and drops it before
 * another starts (comparisons are synchronous).
 */
export function blocksInWasm(refThumbs: Uint8Array, capThumbs: Uint8Array, c1: number, c2: number): BlockPair | undefined {
  const n = refThumbs.length / signatureBytes;
  const m = capThumbs.length / signatureBytes;
  const at = layout(refThumbs, capThumbs, n, m);
  if (at === undefined) return undefined;
  const { wasm } = at;
  const buffer = wasm.memory.buffer;
  const side = (thumbs: number, frames: number, stats: number): BlockStats & { at: number[] } => {
    const addresses = [thumbs, stats, stats + frames * blockCount * 8];
    wasm.blockStats(addresses[0], frames, addresses[1], addresses[2]);
    return { at: addresses, means: new Float64Array(buffer, addresses[1], frames * blockCount), variances: new Float64Array(buffer, addresses[2], frames * blockCount) };
  };
  const ref = side(at.refAt, n, at.refStats);
  const cap = side(at.capAt, m, at.capStats);
  wasm.useSides(ref.at[0], ref.at[1], ref.at[2], cap.at[0], cap.at[1], cap.at[2], c1, c2);
  return { ref, cap, ssim: (i, j) => wasm.blockSsim(i, j) };
}
