// validate: how alike two frames are: exact (rgb24 hash equality) or perceptual (block SSIM of the 64x36 luma thumbnails).
import { signatureBytes, signatureHeight, signatureWidth } from "../media/index.js";

export interface FrameMetric {
  /** Alignment cost in [0, 1]: 0 for identical frames. */
  cost(ref: number, cap: number): number;
  /** Whether the pair counts as a match. */
  matched(ref: number, cap: number): boolean;
  /** Similarity in [0, 1] when thumbnails exist on both sides. */
  similarity(ref: number, cap: number): number | undefined;
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
      for (let b = 0; b < blockCount; b += 1) {
        let sum = 0;
        let squares = 0;
        forEachPixel(f, b, (p) => {
          const v = thumbs[p];
          sum += v;
          squares += v * v;
        });
        const mean = sum / blockPixels;
        this.means[f * blockCount + b] = mean;
        this.variances[f * blockCount + b] = squares / blockPixels - mean * mean;
      }
    }
  }
}

function forEachPixel(frame: number, block: number, visit: (offset: number) => void): void {
  const x0 = (block % blocksAcross) * blockWidth;
  const y0 = Math.floor(block / blocksAcross) * blockHeight;
  const base = frame * signatureBytes;
  for (let y = y0; y < y0 + blockHeight; y += 1) {
    for (let x = x0; x < x0 + blockWidth; x += 1) visit(base + y * signatureWidth + x);
  }
}

/** Mean SSIM over 8x6 blocks of two thumbnails, clamped to [0, 1]. */
export function blockSsim(a: ThumbBlocks, ai: number, b: ThumbBlocks, bi: number): number {
  let total = 0;
  const aBase = ai * signatureBytes;
  const bBase = bi * signatureBytes;
  for (let block = 0; block < blockCount; block += 1) {
    const x0 = (block % blocksAcross) * blockWidth;
    const y0 = Math.floor(block / blocksAcross) * blockHeight;
    let cross = 0;
    for (let y = y0; y < y0 + blockHeight; y += 1) {
      const row = y * signatureWidth + x0;
      for (let x = 0; x < blockWidth; x += 1) cross += (a.thumbs[aBase + row + x]) * (b.thumbs[bBase + row + x]);
    }
    const ma = a.means[ai * blockCount + block];
    const mb = b.means[bi * blockCount + block];
    const covariance = cross / blockPixels - ma * mb;
    const va = a.variances[ai * blockCount + block];
    const vb = b.variances[bi * blockCount + block];
    total += ((2 * ma * mb + c1) * (2 * covariance + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
  }
  return Math.max(0, Math.min(1, total / blockCount));
}

export class ExactMetric implements FrameMetric {
  constructor(
    private readonly refHashes: readonly string[],
    private readonly capHashes: readonly string[],
    private readonly thumbs: { ref: ThumbBlocks; cap: ThumbBlocks } | undefined,
  ) {}

  matched(ref: number, cap: number): boolean {
    return this.refHashes[ref] === this.capHashes[cap];
  }

  cost(ref: number, cap: number): number {
    return this.matched(ref, cap) ? 0 : 1;
  }

  similarity(ref: number, cap: number): number | undefined {
    return this.thumbs === undefined ? undefined : blockSsim(this.thumbs.ref, ref, this.thumbs.cap, cap);
  }
}

export class PerceptualMetric implements FrameMetric {
  constructor(
    private readonly ref: ThumbBlocks,
    private readonly cap: ThumbBlocks,
    private readonly minimum: number,
  ) {}

  similarity(ref: number, cap: number): number {
    return blockSsim(this.ref, ref, this.cap, cap);
  }

  cost(ref: number, cap: number): number {
    return 1 - this.similarity(ref, cap);
  }

  matched(ref: number, cap: number): boolean {
    return this.similarity(ref, cap) >= this.minimum;
  }
}
