// validate: how alike two frames are: exact (rgb24 hash equality) or perceptual (worst local colour difference).
// Alignment uses a cheap global cost (block SSIM of the 64x36 luma thumbnails); the match uses the local measure.
import { colourBytes, signatureBytes, signatureHeight, signatureWidth, type Thumbnails } from "../media/index.js";
import { blocksInWasm, type BlockPair, type BlockStats } from "./block-ssim-wasm.js";
import { worstLocalDifference, type FramePixels, type LocalDifference } from "./local-difference.js";

export interface FrameMetric {
  /** Alignment cost in [0, 1]: 0 for identical frames. */
  cost(ref: number, cap: number): number;
  /** Whether the pair counts as a match. */
  matched(ref: number, cap: number): boolean;
  /** Similarity in [0, 1] (from the worst local difference) when colour thumbnails exist on both sides. */
  similarity(ref: number, cap: number): number | undefined;
  /** The worst local difference of the pair, when colour thumbnails exist on both sides. */
  region(ref: number, cap: number): LocalDifference | undefined;
}

export interface ColourThumbs {
  ref: Thumbnails;
  /** Reference thumbnail of the window's first frame (frame indices count from the window's start). */
  refBase: number;
  cap: Thumbnails;
  /** Size of the frames they were made from (the smaller side's): sets the colour window's chroma tolerance. */
  frame: FramePixels;
}

/** Worst local difference of the last pair asked (the report asks similarity, matched and region of one pair in a row). */
class LocalCache {
  private last = { ref: -1, cap: -1, value: { difference: 0, cellX: 0, cellY: 0, cells: 1, channel: "luma", tolerance: 0, similarity: 1 } as LocalDifference & { similarity: number } };

  constructor(private readonly colour: ColourThumbs) {}

  get(ref: number, cap: number): LocalDifference & { similarity: number } {
    if (this.last.ref !== ref || this.last.cap !== cap) {
      const { ref: refThumbs, refBase, cap: capThumbs, frame } = this.colour;
      const a = refThumbs.load(refBase + ref);
      const b = capThumbs.load(cap);
      const value = worstLocalDifference(a, refThumbs.offsetOf(refBase + ref) / colourBytes, b, capThumbs.offsetOf(cap) / colourBytes, frame);
      this.last = { ref, cap, value };
    }
    return this.last.value;
  }
}

const blockWidth = 8;
const blockHeight = 6;
const blocksAcross = signatureWidth / blockWidth;
const blocksDown = signatureHeight / blockHeight;
const blockCount = blocksAcross * blocksDown;
const blockPixels = blockWidth * blockHeight;
// SSIM's stabilising constants for 8-bit samples.
const c1 = (0.01 * 255) ** 2;
const c2 = (0.03 * 255) ** 2;

/** Per-frame block means and variances, computed once per side. */
export class ThumbBlocks {
  readonly means: Float64Array;
  readonly variances: Float64Array;

  constructor(readonly thumbs: Uint8Array) {
    const frames = thumbs.length / signatureBytes;
    this.means = new Float64Array(frames * blockCount);
    this.variances = new Float64Array(frames * blockCount);
    for (let f = 0; f < frames; f += 1) {
      for (let block = 0; block < blockCount; block += 1) {
        const x0 = (block % blocksAcross) * blockWidth;
        const y0 = Math.floor(block / blocksAcross) * blockHeight;
        let sum = 0;
        let squares = 0;
        for (let y = y0; y < y0 + blockHeight; y += 1) {
          const row = f * signatureBytes + y * signatureWidth + x0;
          for (let x = 0; x < blockWidth; x += 1) {
            const v = thumbs[row + x];
            sum += v;
            squares += v * v;
          }
        }
        const mean = sum / blockPixels;
        this.means[f * blockCount + block] = mean;
        this.variances[f * blockCount + block] = squares / blockPixels - mean * mean;
      }
    }
  }
}

/** Both sides' block statistics and block SSIM: in the WebAssembly module when it is built, else ThumbBlocks and blockSsim. */
export function blockPair(refThumbs: Uint8Array, capThumbs: Uint8Array, useWasm = true): BlockPair {
  const wasm = useWasm ? blocksInWasm(refThumbs, capThumbs, c1, c2) : undefined;
  if (wasm !== undefined) return wasm;
  const ref = new ThumbBlocks(refThumbs);
  const cap = new ThumbBlocks(capThumbs);
  return { ref, cap, ssim: (i, j) => blockSsim(ref, i, cap, j) };
}

/** Whether a thumbnail is dark and flat (mean luma below `maxMean`, deviation below `maxDeviation`), from its block statistics. */
export function isDarkAndFlat(blocks: BlockStats, index: number, maxMean: number, maxDeviation: number): boolean {
  let mean = 0;
  let squares = 0;
  for (let block = 0; block < blockCount; block += 1) {
    const m = blocks.means[index * blockCount + block];
    mean += m / blockCount;
    squares += (blocks.variances[index * blockCount + block] + m * m) / blockCount;
  }
  return mean < maxMean && Math.sqrt(Math.max(0, squares - mean * mean)) < maxDeviation;
}

/** Mean SSIM over 8x6 blocks of two thumbnails, clamped to [0, 1]. Hot: the alignment calls it for every band cell. */
export function blockSsim(a: ThumbBlocks, ai: number, b: ThumbBlocks, bi: number): number {
  const at = a.thumbs;
  const bt = b.thumbs;
  const am = a.means;
  const bm = b.means;
  const av = a.variances;
  const bv = b.variances;
  const aBase = ai * signatureBytes;
  const bBase = bi * signatureBytes;
  let total = 0;
  for (let block = 0; block < blockCount; block += 1) {
    const x0 = (block % blocksAcross) * blockWidth;
    const y0 = Math.floor(block / blocksAcross) * blockHeight;
    let cross = 0;
    for (let y = y0; y < y0 + blockHeight; y += 1) {
      const p = aBase + y * signatureWidth + x0;
      const q = bBase + y * signatureWidth + x0;
      // One block row is 8 pixels wide.
      cross +=
        at[p] * bt[q] + at[p + 1] * bt[q + 1] + at[p + 2] * bt[q + 2] + at[p + 3] * bt[q + 3] +
        at[p + 4] * bt[q + 4] + at[p + 5] * bt[q + 5] + at[p + 6] * bt[q + 6] + at[p + 7] * bt[q + 7];
    }
    const ma = am[ai * blockCount + block];
    const mb = bm[bi * blockCount + block];
    const covariance = cross / blockPixels - ma * mb;
    total += ((2 * ma * mb + c1) * (2 * covariance + c2)) / ((ma * ma + mb * mb + c1) * (av[ai * blockCount + block] + bv[bi * blockCount + block] + c2));
  }
  return Math.max(0, Math.min(1, total / blockCount));
}

export class ExactMetric implements FrameMetric {
  private readonly local: LocalCache | undefined;

  constructor(
    private readonly refHashes: readonly string[],
    private readonly capHashes: readonly string[],
    colour: ColourThumbs | undefined,
  ) {
    this.local = colour === undefined ? undefined : new LocalCache(colour);
  }

  matched(ref: number, cap: number): boolean {
    return this.refHashes[ref] === this.capHashes[cap];
  }

  cost(ref: number, cap: number): number {
    return this.matched(ref, cap) ? 0 : 1;
  }

  similarity(ref: number, cap: number): number | undefined {
    return this.local?.get(ref, cap).similarity;
  }

  region(ref: number, cap: number): LocalDifference | undefined {
    return this.local?.get(ref, cap);
  }
}

/** Global luma likeness only: locates the reference window in the capture (graded, cheap). */
export class LocatorMetric implements FrameMetric {
  constructor(private readonly blocks: BlockPair) {}

  cost(ref: number, cap: number): number {
    return 1 - this.blocks.ssim(ref, cap);
  }

  matched(): boolean {
    return false;
  }

  similarity(): undefined {
    return undefined;
  }

  region(): undefined {
    return undefined;
  }
}

export class PerceptualMetric implements FrameMetric {
  private readonly local: LocalCache;
  private readonly locator: LocatorMetric;

  constructor(blocks: BlockPair, colour: ColourThumbs, private readonly minimum: number) {
    this.local = new LocalCache(colour);
    this.locator = new LocatorMetric(blocks);
  }

  similarity(ref: number, cap: number): number {
    return this.local.get(ref, cap).similarity;
  }

  region(ref: number, cap: number): LocalDifference {
    return this.local.get(ref, cap);
  }

  /** Alignment follows the global picture: a local fault must not pull the path off the right frame. */
  cost(ref: number, cap: number): number {
    return this.locator.cost(ref, cap);
  }

  matched(ref: number, cap: number): boolean {
    return this.similarity(ref, cap) >= this.minimum;
  }
}
