// wasm: the perceptual frame measure's hot loops in AssemblyScript, compiled to dist/wasm/thumb-measure.wasm
// by `npm run build`. src/validate/local-difference.ts defines the measure and keeps the same computation
// in TypeScript (the fallback, and what the tests hold this module to): every integer sum and every
// floating-point operation is the same, in the same order, so the results are the same doubles.
// The caller copies two 64x36 YUV 4:4:4 thumbnails to thumbnailA()/thumbnailB() and calls measure().

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
const bucketCount = heap.alloc(buckets * 4);
const bucketTop = heap.alloc(buckets * 8);
const bucketStart = heap.alloc(buckets * 4);
const order = heap.alloc(windows * 4);

export function thumbnailA(): usize {
  return thumbA;
}

export function thumbnailB(): usize {
  return thumbB;
}

// Results of the last measure().
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

export function resultDetailSum(): i32 {
  return detailSum;
}
export function resultDetailAt(): i32 {
  return detailAt;
}
export function resultColourWindow(): i32 {
  return colourWindow;
}
export function resultColourChannel(): i32 {
  return colourChannel;
}
export function resultColourDifference(): f64 {
  return colourDifference;
}
export function resultColourTolerance(): f64 {
  return colourTolerance;
}

@inline function table(p: i32, index: i32): i32 {
  return load<i32>(tables + ((<usize>(p * tableInts + index)) << 2));
}

function fillTables(): void {
  for (let p = 0; p < 3; p += 1) {
    const base = tables + ((<usize>(p * tableInts)) << 2);
    const ka = thumbA + <usize>(p * plane);
    const kb = thumbB + <usize>(p * plane);
    for (let y = 0; y < height; y += 1) {
      let row: i32 = 0;
      const above = base + ((<usize>(y * stride)) << 2);
      const here = above + ((<usize>stride) << 2);
      const k = <usize>(y * width);
      for (let x = 0; x < width; x += 1) {
        row += <i32>load<u8>(ka + k + <usize>x) - <i32>load<u8>(kb + k + <usize>x);
        store<i32>(here + ((<usize>(x + 1)) << 2), load<i32>(above + ((<usize>(x + 1)) << 2)) + row);
      }
    }
  }
}

function worstDetailWindow(): void {
  let best: i32 = 0;
  let bestAt: i32 = 0;
  for (let y = 0; y + detailCells <= height; y += 1) {
    const top = y * stride;
    const bottom = (y + detailCells) * stride;
    for (let x = 0; x + detailCells <= width; x += 1) {
      const sum = abs<i32>(table(0, bottom + x + detailCells) - table(0, top + x + detailCells) - table(0, bottom + x) + table(0, top + x));
      if (sum > best) {
        best = sum;
        bestAt = y * width + x;
      }
    }
  }
  detailSum = best;
  detailAt = bestAt;
}

@inline function windowSum(p: i32, x: i32, y: i32): i32 {
  const top = y * stride;
  const bottom = (y + colourCells) * stride;
  return table(p, bottom + x + colourCells) - table(p, top + x + colourCells) - table(p, bottom + x) + table(p, top + x);
}

/** Fills raw with each colour window's largest channel difference before tolerance; returns the largest. */
function rawColourDifferences(): f64 {
  let top: f64 = 0;
  for (let y = 0; y + colourCells <= height; y += 1) {
    for (let x = 0; x < across; x += 1) {
      const dy = (1.164 * <f64>windowSum(0, x, y)) / area;
      const du = <f64>windowSum(1, x, y) / area;
      const dv = <f64>windowSum(2, x, y) / area;
      const value = max<f64>(max<f64>(abs<f64>(dy + 1.596 * dv), abs<f64>(dy - 0.392 * du - 0.813 * dv)), abs<f64>(dy + 2.017 * du));
      store<f64>(raw + ((<usize>(y * across + x)) << 3), value);
      if (value > top) top = value;
    }
  }
  return top;
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

/** Measures thumbnailA() against thumbnailB(); the results are read through the result* functions. */
export function measure(edgeShare: f64): void {
  fillTables();
  worstDetailWindow();
  worstColourWindow(edgeShare);
}
