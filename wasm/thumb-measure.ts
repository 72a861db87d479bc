// wasm: the perceptual frame measure's hot loops in AssemblyScript, compiled to dist/wasm/thumb-measure.wasm
// by `npm run build`. src/validate/local-difference.ts defines the measure and keeps the same computation
// in TypeScript (the fallback, and what the tests hold this module to): every integer sum and every
// floating-point operation is the same, in the same order, so the results are the same doubles.
// The caller copies two 64x36 YUV 4:4:4 thumbnails to thumbnailA()/thumbnailB(), calls measure() and reads
// the results at resultsAt() (one call per pair: reading six results through six exports cost as much again).
export { arena, blockStats, blockSsim, useSides } from "./thumb-blocks";

const width: i32 = 64;
const height: i32 = 36;
const plane: i32 = width * height;
const thumbBytes: i32 = plane * 3;
const stride: i32 = width + 1;
const tableInts: i32 = stride * (height + 1);
const detailCells: i32 = 2;
const colourCells: i32 = 5;
const area: f64 = 25;
const across: i32 = width - colourCells + 1;
const windows: i32 = across * (height - colourCells + 1);
const buckets: i32 = 256;

const thumbA = heap.alloc(thumbBytes);
const thumbB = heap.alloc(thumbBytes);
// Summed-area tables (Y, U, V) of the signed difference A - B; row 0 and column 0 stay zero.
const tables = heap.alloc(3 * tableInts * 4);
const raw = heap.alloc(windows * 8);
// Each detail window's |luma sum|, at its cell index (rows of 64).
const detailSums = heap.alloc(plane * 4);
const bucketCount = heap.alloc(buckets * 4);
const bucketTop = heap.alloc(buckets * 8);
const bucketStart = heap.alloc(buckets * 4);
const order = heap.alloc(windows * 4);
// Results of the last measure(): i32 detail sum, detail cell, colour window (-1: none over 0), colour
// channel; f64 colour difference, colour tolerance.
const results = heap.alloc(32);

export function thumbnailA(): usize {
  return thumbA;
}

export function thumbnailB(): usize {
  return thumbB;
}

export function resultsAt(): usize {
  return results;
}

let detailSum: i32 = 0;
let detailAt: i32 = 0;
let colourWindow: i32 = -1;
let colourChannel: i32 = 0;
let colourDifference: f64 = 0;
let colourTolerance: f64 = 0;
// The window colourExcess measured last: its first channel of largest excess.
let foundChannel: i32 = 0;
let foundDifference: f64 = 0;
let foundTolerance: f64 = 0;

@inline function table(p: i32, index: i32): i32 {
  return load<i32>(tables + ((<usize>(p * tableInts + index)) << 2));
}

// SIMD throughout: integer sums are exact in any order, and each f64x2 lane does the scalar operations.

@inline function prefixStep(prefix: v128, d: v128): v128 {
  // Running sum within the vector ([d0, d0+d1, ...]), plus the sum carried from the samples before it.
  const zero = i32x4.splat(0);
  let v = i32x4.add(d, v128.shuffle<i32>(zero, d, 0, 4, 5, 6));
  v = i32x4.add(v, v128.shuffle<i32>(zero, v, 0, 0, 4, 5));
  return i32x4.add(v, v128.shuffle<i32>(prefix, prefix, 3, 3, 3, 3));
}

function fillTables(): void {
  for (let p = 0; p < 3; p += 1) {
    const base = tables + ((<usize>(p * tableInts)) << 2);
    const ka = thumbA + <usize>(p * plane);
    const kb = thumbB + <usize>(p * plane);
    for (let y = 0; y < height; y += 1) {
      let prefix = i32x4.splat(0);
      // Entry x + 1 of the row: entry x + 1 of the row above plus the row's running sum up to sample x.
      const above = base + ((<usize>(y * stride + 1)) << 2);
      const here = above + ((<usize>stride) << 2);
      const k = <usize>(y * width);
      for (let x = 0; x < width; x += 16) {
        const pa = v128.load(ka + k + <usize>x);
        const pb = v128.load(kb + k + <usize>x);
        const low = i16x8.sub(i16x8.extend_low_i8x16_u(pa), i16x8.extend_low_i8x16_u(pb));
        const high = i16x8.sub(i16x8.extend_high_i8x16_u(pa), i16x8.extend_high_i8x16_u(pb));
        const at = (<usize>x) << 2;
        prefix = prefixStep(prefix, i32x4.extend_low_i16x8_s(low));
        v128.store(here + at, i32x4.add(v128.load(above + at), prefix));
        prefix = prefixStep(prefix, i32x4.extend_high_i16x8_s(low));
        v128.store(here + at + 16, i32x4.add(v128.load(above + at + 16), prefix));
        prefix = prefixStep(prefix, i32x4.extend_low_i16x8_s(high));
        v128.store(here + at + 32, i32x4.add(v128.load(above + at + 32), prefix));
        prefix = prefixStep(prefix, i32x4.extend_high_i16x8_s(high));
        v128.store(here + at + 48, i32x4.add(v128.load(above + at + 48), prefix));
      }
    }
  }
}

/** Four windows' sums of plane `p` from (x, y) on, `cells` wide: i32x4. */
@inline function windowSums(p: i32, x: i32, y: i32, cells: i32): v128 {
  const top = tables + ((<usize>(p * tableInts + y * stride + x)) << 2);
  const bottom = top + ((<usize>(cells * stride)) << 2);
  const side = (<usize>cells) << 2;
  return i32x4.add(i32x4.sub(i32x4.sub(v128.load(bottom + side), v128.load(top + side)), v128.load(bottom)), v128.load(top));
}

/** The detail window of largest |luma sum| (the first of equals, row by row): maxima by SIMD, then the first that reaches it. */
function worstDetailWindow(): void {
  let most = i32x4.splat(0);
  for (let y = 0; y + detailCells <= height; y += 1) {
    const row = detailSums + ((<usize>(y * width)) << 2);
    // 63 windows a row: four at a time, the last four overlapping the ones before.
    for (let x = 0; x + 4 <= width - detailCells + 1; x += 4) {
      const sums = i32x4.abs(windowSums(0, x, y, detailCells));
      v128.store(row + ((<usize>x) << 2), sums);
      most = i32x4.max_s(most, sums);
    }
    const last = width - detailCells + 1 - 4;
    const sums = i32x4.abs(windowSums(0, last, y, detailCells));
    v128.store(row + ((<usize>last) << 2), sums);
    most = i32x4.max_s(most, sums);
  }
  const best = max<i32>(max<i32>(i32x4.extract_lane(most, 0), i32x4.extract_lane(most, 1)), max<i32>(i32x4.extract_lane(most, 2), i32x4.extract_lane(most, 3)));
  let bestAt: i32 = -1;
  for (let y = 0; best > 0 && bestAt < 0 && y + detailCells <= height; y += 1) {
    for (let x = 0; x + detailCells <= width; x += 1) {
      if (load<i32>(detailSums + ((<usize>(y * width + x)) << 2)) === best) {
        bestAt = y * width + x;
        break;
      }
    }
  }
  detailSum = best;
  detailAt = max<i32>(0, bestAt);
}

@inline function windowSum(p: i32, x: i32, y: i32): i32 {
  const top = y * stride;
  const bottom = (y + colourCells) * stride;
  return table(p, bottom + x + colourCells) - table(p, top + x + colourCells) - table(p, bottom + x) + table(p, top + x);
}

/** Two windows' largest channel difference before tolerance from their sums (f64x2 lanes of each plane). */
@inline function rawPair(sy: v128, su: v128, sv: v128): v128 {
  const cells = f64x2.splat(area);
  const dy = f64x2.div(f64x2.mul(f64x2.splat(1.164), sy), cells);
  const du = f64x2.div(su, cells);
  const dv = f64x2.div(sv, cells);
  const red = f64x2.abs(f64x2.add(dy, f64x2.mul(f64x2.splat(1.596), dv)));
  const green = f64x2.abs(f64x2.sub(f64x2.sub(dy, f64x2.mul(f64x2.splat(0.392), du)), f64x2.mul(f64x2.splat(0.813), dv)));
  const blue = f64x2.abs(f64x2.add(dy, f64x2.mul(f64x2.splat(2.017), du)));
  return f64x2.max(f64x2.max(red, green), blue);
}

@inline function upper(v: v128): v128 {
  return v128.shuffle<i32>(v, v, 2, 3, 2, 3);
}

/** Fills raw with each colour window's largest channel difference before tolerance; returns the largest. */
function rawColourDifferences(): f64 {
  let top = f64x2.splat(0);
  for (let y = 0; y + colourCells <= height; y += 1) {
    for (let x = 0; x < across; x += 4) {
      const sy = windowSums(0, x, y, colourCells);
      const su = windowSums(1, x, y, colourCells);
      const sv = windowSums(2, x, y, colourCells);
      const first = rawPair(f64x2.convert_low_i32x4_s(sy), f64x2.convert_low_i32x4_s(su), f64x2.convert_low_i32x4_s(sv));
      const second = rawPair(f64x2.convert_low_i32x4_s(upper(sy)), f64x2.convert_low_i32x4_s(upper(su)), f64x2.convert_low_i32x4_s(upper(sv)));
      const at = raw + ((<usize>(y * across + x)) << 3);
      v128.store(at, first);
      v128.store(at + 16, second);
      top = f64x2.max(top, f64x2.max(first, second));
    }
  }
  return max<f64>(f64x2.extract_lane(top, 0), f64x2.extract_lane(top, 1));
}

/** Standard deviation of one chroma plane of thumbnail `thumb` over the window at (x, y). */
function deviation(thumb: usize, p: i32, x: i32, y: i32): f64 {
  let sum: i32 = 0;
  let squares: i32 = 0;
  for (let row = y; row < y + colourCells; row += 1) {
    const k = thumb + <usize>(p * plane + row * width + x);
    for (let col = 0; col < colourCells; col += 1) {
      const c = <i32>load<u8>(k + <usize>col) - 128;
      sum += c;
      squares += c * c;
    }
  }
  const mean = <f64>sum / area;
  return sqrt<f64>(max<f64>(0, <f64>squares / area - mean * mean));
}

/** One colour window's largest excess; its first channel of that excess goes to found*. */
function colourExcess(edgeShare: f64, x: i32, y: i32): f64 {
  const dy = (1.164 * <f64>windowSum(0, x, y)) / area;
  const du = <f64>windowSum(1, x, y) / area;
  const dv = <f64>windowSum(2, x, y) / area;
  const su = edgeShare * min<f64>(deviation(thumbA, 1, x, y), deviation(thumbB, 1, x, y));
  const sv = edgeShare * min<f64>(deviation(thumbA, 2, x, y), deviation(thumbB, 2, x, y));
  let excess = -Infinity;
  const d0 = abs<f64>(dy + 1.596 * dv);
  const t0 = 1.596 * sv;
  const d1 = abs<f64>(dy - 0.392 * du - 0.813 * dv);
  const t1 = 0.392 * su + 0.813 * sv;
  const d2 = abs<f64>(dy + 2.017 * du);
  const t2 = 2.017 * su;
  if (d0 - t0 > excess) {
    excess = d0 - t0;
    foundChannel = 0;
    foundDifference = d0;
    foundTolerance = t0;
  }
  if (d1 - t1 > excess) {
    excess = d1 - t1;
    foundChannel = 1;
    foundDifference = d1;
    foundTolerance = t1;
  }
  if (d2 - t2 > excess) {
    excess = d2 - t2;
    foundChannel = 2;
    foundDifference = d2;
    foundTolerance = t2;
  }
  return excess;
}

@inline function rawAt(w: i32): f64 {
  return load<f64>(raw + ((<usize>w) << 3));
}

/** Orders the windows by raw difference, largest bucket first (a counting sort, stable within a bucket). */
function bucketWindows(top: f64): void {
  const scale: f64 = top > 0 ? <f64>(buckets - 1) / top : 0;
  memory.fill(bucketCount, 0, buckets * 4);
  memory.fill(bucketTop, 0, buckets * 8);
  for (let w = 0; w < windows; w += 1) {
    const value = rawAt(w);
    const k = <usize>(<i32>Math.floor(value * scale));
    store<i32>(bucketCount + (k << 2), load<i32>(bucketCount + (k << 2)) + 1);
    if (value > load<f64>(bucketTop + (k << 3))) store<f64>(bucketTop + (k << 3), value);
  }
  let start: i32 = 0;
  for (let k = buckets - 1; k >= 0; k -= 1) {
    store<i32>(bucketStart + ((<usize>k) << 2), start);
    start += load<i32>(bucketCount + ((<usize>k) << 2));
  }
  for (let w = 0; w < windows; w += 1) {
    const k = <usize>(<i32>Math.floor(rawAt(w) * scale));
    const at = load<i32>(bucketStart + (k << 2));
    store<i32>(order + ((<usize>at) << 2), w);
    store<i32>(bucketStart + (k << 2), at + 1);
  }
}

/** The colour window of largest excess over 0 (the first of equals), or none (colourWindow -1). */
function worstColourWindow(edgeShare: f64): void {
  bucketWindows(rawColourDifferences());
  let bestExcess: f64 = 0;
  colourWindow = -1;
  colourChannel = 0;
  colourDifference = 0;
  colourTolerance = 0;
  let next: i32 = 0;
  for (let k = buckets - 1; k >= 0; k -= 1) {
    const count = load<i32>(bucketCount + ((<usize>k) << 2));
    if (count === 0) continue;
    const top = load<f64>(bucketTop + ((<usize>k) << 3));
    if (top < bestExcess || top === 0) break;
    for (const end = next + count; next < end; next += 1) {
      const w = load<i32>(order + ((<usize>next) << 2));
      const excess = colourExcess(edgeShare, w % across, w / across);
      if (excess > bestExcess || (excess === bestExcess && excess > 0 && w < colourWindow)) {
        bestExcess = excess;
        colourWindow = w;
        colourChannel = foundChannel;
        colourDifference = foundDifference;
        colourTolerance = foundTolerance;
      }
    }
  }
}

/** Measures thumbnailA() against thumbnailB(); the results are read at resultsAt(). */
export function measure(edgeShare: f64): void {
  fillTables();
  worstDetailWindow();
  worstColourWindow(edgeShare);
  store<i32>(results, detailSum);
  store<i32>(results, detailAt, 4);
  store<i32>(results, colourWindow, 8);
  store<i32>(results, colourChannel, 12);
  store<f64>(results, colourDifference, 16);
  store<f64>(results, colourTolerance, 24);
}
