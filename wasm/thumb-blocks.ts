// wasm: the alignment's cost (block SSIM of 64x36 luma thumbnails) and its per-frame block statistics, with
// SIMD; part of dist/wasm/thumb-measure.wasm (exported by wasm/thumb-measure.ts). ThumbBlocks and blockSsim
// in src/validate/frame-similarity.ts define them and stay the fallback and what the tests hold this to:
// the integer sums are exact whatever their order, and every floating-point operation is the same, in the
// same order, so the results are the same doubles.
// The caller lays out both sides in the arena (arena()), fills the thumbnails, calls blockStats() per side
// and useSides() once; then blockSsim() per pair.

const width: i32 = 64;
const thumbBytes: i32 = width * 36;
const blockWidth: i32 = 8;
const blockHeight: i32 = 6;
const blocksAcross: i32 = 8;
const blocksDown: i32 = 6;
const blockCount: i32 = blocksAcross * blocksDown;
const blockPixels: f64 = 48;

// The arena starts after the module's own buffers (all allocated at start-up, before any call) and is
// reused by every comparison; only arena() grows memory, so the caller's views stay valid until it calls
// arena() again.
let arenaBase: usize = 0;

/** The arena's address, grown to at least `bytes` bytes; its contents are the caller's. */
export function arena(bytes: usize): usize {
  if (arenaBase === 0) arenaBase = (heap.alloc(32) + 15) & ~(<usize>15);
  const end = arenaBase + bytes;
  const have = (<usize>memory.size()) << 16;
  if (end > have && memory.grow(<i32>((end - have + 0xffff) >> 16)) < 0) unreachable();
  return arenaBase;
}

/** Per block of each of `frames` thumbnails at `thumbs`: mean and variance (f64, frame-major, block order). */
export function blockStats(thumbs: usize, frames: i32, means: usize, variances: usize): void {
  for (let f = 0; f < frames; f += 1) {
    const frame = thumbs + <usize>(f * thumbBytes);
    const out = <usize>(f * blockCount) << 3;
    for (let by = 0; by < blocksDown; by += 1) {
      // Two blocks side by side per 16 bytes: pairwise sums (u16 lanes 0-3 left, 4-7 right) and squares.
      for (let bx = 0; bx < blocksAcross; bx += 2) {
        let sums = i16x8.splat(0);
        let squaresLeft = i32x4.splat(0);
        let squaresRight = i32x4.splat(0);
        for (let y = 0; y < blockHeight; y += 1) {
          const row = v128.load(frame + <usize>((by * blockHeight + y) * width + bx * blockWidth));
          sums = i16x8.add(sums, i16x8.extadd_pairwise_i8x16_u(row));
          const low = i16x8.extend_low_i8x16_u(row);
          const high = i16x8.extend_high_i8x16_u(row);
          squaresLeft = i32x4.add(squaresLeft, i32x4.dot_i16x8_s(low, low));
          squaresRight = i32x4.add(squaresRight, i32x4.dot_i16x8_s(high, high));
        }
        const wide = i32x4.extadd_pairwise_i16x8_u(sums);
        const block = by * blocksAcross + bx;
        storeStats(means, variances, out + (<usize>block << 3), i32x4.extract_lane(wide, 0) + i32x4.extract_lane(wide, 1), horizontal(squaresLeft));
        storeStats(means, variances, out + (<usize>(block + 1) << 3), i32x4.extract_lane(wide, 2) + i32x4.extract_lane(wide, 3), horizontal(squaresRight));
      }
    }
  }
}

@inline function horizontal(v: v128): i32 {
  return i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
}

@inline function storeStats(means: usize, variances: usize, at: usize, sum: i32, squares: i32): void {
  const mean = <f64>sum / blockPixels;
  store<f64>(means + at, mean);
  store<f64>(variances + at, <f64>squares / blockPixels - mean * mean);
}

// The two sides blockSsim compares (set by useSides) and SSIM's stabilising constants (from the caller,
// which defines them).
let refThumbs: usize = 0;
let refMeans: usize = 0;
let refVariances: usize = 0;
let capThumbs: usize = 0;
let capMeans: usize = 0;
let capVariances: usize = 0;
let c1: f64 = 0;
let c2: f64 = 0;

export function useSides(rt: usize, rm: usize, rv: usize, ct: usize, cm: usize, cv: usize, k1: f64, k2: f64): void {
  refThumbs = rt;
  refMeans = rm;
  refVariances = rv;
  capThumbs = ct;
  capMeans = cm;
  capVariances = cv;
  c1 = k1;
  c2 = k2;
}

/** Mean SSIM over 8x6 blocks of reference thumbnail `ai` and capture thumbnail `bi`, clamped to [0, 1]. */
export function blockSsim(ai: i32, bi: i32): f64 {
  const a = refThumbs + <usize>(ai * thumbBytes);
  const b = capThumbs + <usize>(bi * thumbBytes);
  const aStats = <usize>(ai * blockCount) << 3;
  const bStats = <usize>(bi * blockCount) << 3;
  let total: f64 = 0;
  for (let by = 0; by < blocksDown; by += 1) {
    for (let bx = 0; bx < blocksAcross; bx += 2) {
      let left = i32x4.splat(0);
      let right = i32x4.splat(0);
      for (let y = 0; y < blockHeight; y += 1) {
        const offset = <usize>((by * blockHeight + y) * width + bx * blockWidth);
        const p = v128.load(a + offset);
        const q = v128.load(b + offset);
        left = i32x4.add(left, i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_u(p), i16x8.extend_low_i8x16_u(q)));
        right = i32x4.add(right, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_u(p), i16x8.extend_high_i8x16_u(q)));
      }
      const block = <usize>(by * blocksAcross + bx) << 3;
      total += blockTerm(aStats + block, bStats + block, horizontal(left));
      total += blockTerm(aStats + block + 8, bStats + block + 8, horizontal(right));
    }
  }
  return max<f64>(0, min<f64>(1, total / <f64>blockCount));
}

@inline function blockTerm(aAt: usize, bAt: usize, cross: i32): f64 {
  const ma = load<f64>(refMeans + aAt);
  const mb = load<f64>(capMeans + bAt);
  const covariance = <f64>cross / blockPixels - ma * mb;
  return ((2 * ma * mb + c1) * (2 * covariance + c2)) / ((ma * ma + mb * mb + c1) * (load<f64>(refVariances + aAt) + load<f64>(capVariances + bAt) + c2));
}
