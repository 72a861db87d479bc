// validate: the perceptual frame measure: the worst local difference between two 64x36 YUV 4:4:4 thumbnails.
import { colourBytes, colourHeight, colourPlane, colourWidth } from "../media/index.js";
import { measureInWasm, type WasmMeasure } from "./local-difference-wasm.js";

/**
 * Each thumbnail sample is the mean of a 5x5 block at 320x180. Two windows are judged, and the worst
 * window of either decides (never the frame mean):
 * - detail: luma over 2x2 samples (10x10 at 320x180, 1/576 of the frame): a 16x16 sprite at 320x180
 *   always covers one whole window; a missing sprite, a box or a black frame moves its mean.
 * - colour: RGB over 5x5 samples (25x25 at 320x180, 1.1% of the frame): a tint of a few levels in one
 *   channel. A patch of 2% of the frame (34x34 at 320x180, 6.8 samples) holds a whole window at any
 *   alignment, so its tint is measured in full, not diluted by what lies around it.
 * Means are signed: lossy encoding moves single pixels both ways and nearly cancels over a window,
 * while a wrong sprite or a colour shift moves the whole window one way.
 * Chroma is the exception: 4:2:0 encoding carries it at half resolution (one sample per 2x2 pixels), so
 * the encoder may move or smear a sharp colour edge by up to one chroma sample, and decoding to RGB clips
 * the out-of-gamut pixels this makes at saturated edges, one way. A colour window's mean may then move
 * by up to (edge height) x (2 px / window side). The colour window excuses that much, with the edge
 * height estimated as twice the window's chroma deviation on the side where it is smaller (what one
 * side lacks, a missing sprite or an added box, excuses nothing): 1/12 of that deviation at 640x360,
 * 1/3 at 160x90, where one chroma sample is 1/6 of the window.
 */
export const detailCells = 2;
export const colourCells = 5;
/** Levels at which a window's similarity reaches 0 (similarity = 1 - (difference - tolerance) / scale). */
export const detailScale = 120;
export const colourScale = 60;
/** Frame pixels one 4:2:0 chroma sample spans: how far lossy encoding may move a sharp colour edge. */
export const chromaSamplePixels = 2;

/** Size of the frames the thumbnails were made from (the smaller side's, when the two differ). */
export interface FramePixels {
  width: number;
  height: number;
}

export interface LocalDifference {
  /** Largest windowed mean difference, in 8-bit levels of one RGB channel. */
  difference: number;
  /** Top-left thumbnail cell of the worst window. */
  cellX: number;
  cellY: number;
  /** Window side, in thumbnail cells. */
  cells: number;
  channel: "luma" | "red" | "green" | "blue";
  /** Levels of `difference` excused as 4:2:0 chroma error at colour edges (0 for luma). */
  tolerance: number;
}

const stride = colourWidth + 1;
const tableSize = stride * (colourHeight + 1);
// Summed-area tables of the signed per-sample difference of each plane (Y, U, V), reused by every call.
const tables = [new Int32Array(tableSize), new Int32Array(tableSize), new Int32Array(tableSize)] as const;
const colourWindows = (colourWidth - colourCells + 1) * (colourHeight - colourCells + 1);
// Each colour window's largest channel difference before its tolerance, reused by every call.
const rawColour = new Float64Array(colourWindows);
// Windows bucketed by raw difference (a counting sort), so tolerances are computed largest raw first.
const buckets = 256;
const bucketCount = new Int32Array(buckets);
const bucketTop = new Float64Array(buckets);
const bucketStart = new Int32Array(buckets);
const order = new Int32Array(colourWindows);

function fillTables(a: Uint8Array, pa: number, b: Uint8Array, pb: number): void {
  for (let plane = 0; plane < 3; plane += 1) {
    const table = tables[plane];
    const ka = pa + plane * colourPlane;
    const kb = pb + plane * colourPlane;
    for (let y = 0; y < colourHeight; y += 1) {
      let row = 0;
      const above = y * stride;
      const here = above + stride;
      const k = y * colourWidth;
      for (let x = 0; x < colourWidth; x += 1) {
        row += a[ka + k + x] - b[kb + k + x];
        table[here + x + 1] = table[above + x + 1] + row;
      }
    }
  }
}

function windowSum(table: Int32Array, x: number, y: number, cells: number): number {
  const top = y * stride;
  const bottom = (y + cells) * stride;
  return table[bottom + x + cells] - table[top + x + cells] - table[bottom + x] + table[top + x];
}

/**
 * Standard deviation of one chroma plane (U: 1, V: 2) of a thumbnail over a window, summed directly: it
 * is needed only at the few windows whose raw difference could decide (see worstColourWindow).
 */
function deviation(bytes: Uint8Array, base: number, plane: number, x: number, y: number, cells: number): number {
  const area = cells * cells;
  let sum = 0;
  let squares = 0;
  for (let row = y; row < y + cells; row += 1) {
    const k = base + plane * colourPlane + row * colourWidth + x;
    for (let col = 0; col < cells; col += 1) {
      const c = bytes[k + col] - 128;
      sum += c;
      squares += c * c;
    }
  }
  const mean = sum / area;
  return Math.sqrt(Math.max(0, squares / area - mean * mean));
}

/**
 * The detail window (luma only, in RGB levels: a grey change of that size) whose mean moves most. The
 * level is 1.164 x |sum| / area, so the largest integer |sum| decides. Ties keep the first (top-left).
 */
function worstDetailWindow(): LocalDifference {
  const cells = detailCells;
  const ty = tables[0];
  let best = 0;
  let bestAt = 0;
  for (let y = 0; y + cells <= colourHeight; y += 1) {
    const top = y * stride;
    const bottom = (y + cells) * stride;
    for (let x = 0; x + cells <= colourWidth; x += 1) {
      const sum = Math.abs(ty[bottom + x + cells] - ty[top + x + cells] - ty[bottom + x] + ty[top + x]);
      if (sum > best) {
        best = sum;
        bestAt = y * colourWidth + x;
      }
    }
  }
  return detailWindowAt(best, bestAt);
}

/** The detail window whose luma sum of differences is `sum` (largest |sum|), at cell index `at`. */
function detailWindowAt(sum: number, at: number): LocalDifference {
  const difference = Math.abs((1.164 * sum) / (detailCells * detailCells));
  return { difference, cellX: at % colourWidth, cellY: Math.floor(at / colourWidth), cells: detailCells, channel: "luma", tolerance: 0 };
}

interface ColourSides {
  a: Uint8Array;
  pa: number;
  b: Uint8Array;
  pb: number;
}

/**
 * The colour window whose mean moves most beyond its chroma tolerance, with the YUV differences turned
 * into RGB linearly (BT.601, limited range) without clipping. `edgeShare` is 2 x chromaSamplePixels / window
 * side in frame pixels: a chroma step of height 2 x deviation moved by one chroma sample. Ties keep the first.
 * A tolerance only lowers a window's excess, so the windows' raw differences are found first (summed-area
 * tables) and the tolerances (each side's chroma deviation, summed directly) are computed in falling order
 * of raw difference (bucketed), until no window left can reach the best excess found: no other window can
 * decide or tie.
 */
function worstColourWindow(sides: ColourSides, edgeShare: number): LocalDifference {
  const top = rawColourDifferences();
  const across = colourWidth - colourCells + 1;
  const scale = top > 0 ? (buckets - 1) / top : 0;
  bucketCount.fill(0);
  bucketTop.fill(0);
  for (let w = 0; w < colourWindows; w += 1) {
    const raw = rawColour[w];
    const k = Math.floor(raw * scale);
    bucketCount[k] += 1;
    if (raw > bucketTop[k]) bucketTop[k] = raw;
  }
  let start = 0;
  for (let k = buckets - 1; k >= 0; k -= 1) {
    bucketStart[k] = start;
    start += bucketCount[k];
  }
  for (let w = 0; w < colourWindows; w += 1) {
    const k = Math.floor(rawColour[w] * scale);
    order[bucketStart[k]] = w;
    bucketStart[k] += 1;
  }
  // Only a window with excess above 0 counts; the first (top-left) of equal windows wins.
  const best = { excess: 0, window: -1, value: { difference: 0, cellX: 0, cellY: 0, cells: colourCells, channel: "red", tolerance: 0 } as LocalDifference };
  let next = 0;
  for (let k = buckets - 1; k >= 0; k -= 1) {
    if (bucketCount[k] === 0) continue;
    if (bucketTop[k] < best.excess || bucketTop[k] === 0) break;
    for (const end = next + bucketCount[k]; next < end; next += 1) {
      const w = order[next];
      const found = { value: best.value };
      const excess = colourExcess(sides, edgeShare, w % across, Math.floor(w / across), found);
      if (excess > best.excess || (excess === best.excess && excess > 0 && w < best.window)) Object.assign(best, { excess, window: w, value: found.value });
    }
  }
  return best.value;
}

/** Fills rawColour with each colour window's largest channel difference before tolerance; returns the largest. */
function rawColourDifferences(): number {
  const cells = colourCells;
  const across = colourWidth - cells + 1;
  const area = cells * cells;
  const [ty, tu, tv] = tables;
  let top = 0;
  for (let y = 0; y + cells <= colourHeight; y += 1) {
    const upper = y * stride;
    const lower = (y + cells) * stride;
    for (let x = 0; x < across; x += 1) {
      // Hot (every window of every pair): plain locals, no array destructuring.
      const p = lower + x + cells;
      const q = upper + x + cells;
      const r = lower + x;
      const t = upper + x;
      const dy = (1.164 * (ty[p] - ty[q] - ty[r] + ty[t])) / area;
      const du = (tu[p] - tu[q] - tu[r] + tu[t]) / area;
      const dv = (tv[p] - tv[q] - tv[r] + tv[t]) / area;
      const raw = Math.max(Math.abs(dy + 1.596 * dv), Math.abs(dy - 0.392 * du - 0.813 * dv), Math.abs(dy + 2.017 * du));
      rawColour[y * across + x] = raw;
      if (raw > top) top = raw;
    }
  }
  return top;
}

const colourChannels = ["red", "green", "blue"] as const;
// One window's channel differences and tolerances (red, green, blue), reused by every call.
const channelDifference = new Float64Array(3);
const channelTolerance = new Float64Array(3);

/** One colour window's largest excess (difference beyond tolerance), its channel (the first on a tie) stored in `found`. */
function colourExcess(sides: ColourSides, edgeShare: number, x: number, y: number, found: { value: LocalDifference }): number {
  const cells = colourCells;
  const area = cells * cells;
  const [ty, tu, tv] = tables;
  const { a, pa, b, pb } = sides;
  const dy = (1.164 * windowSum(ty, x, y, cells)) / area;
  const du = windowSum(tu, x, y, cells) / area;
  const dv = windowSum(tv, x, y, cells) / area;
  const su = edgeShare * Math.min(deviation(a, pa, 1, x, y, cells), deviation(b, pb, 1, x, y, cells));
  const sv = edgeShare * Math.min(deviation(a, pa, 2, x, y, cells), deviation(b, pb, 2, x, y, cells));
  channelDifference[0] = Math.abs(dy + 1.596 * dv);
  channelTolerance[0] = 1.596 * sv;
  channelDifference[1] = Math.abs(dy - 0.392 * du - 0.813 * dv);
  channelTolerance[1] = 0.392 * su + 0.813 * sv;
  channelDifference[2] = Math.abs(dy + 2.017 * du);
  channelTolerance[2] = 2.017 * su;
  let excess = -Infinity;
  for (let c = 0; c < 3; c += 1) {
    const difference = channelDifference[c];
    const tolerance = channelTolerance[c];
    if (difference - tolerance > excess) {
      excess = difference - tolerance;
      found.value = { difference, cellX: x, cellY: y, cells, channel: colourChannels[c], tolerance };
    }
  }
  return excess;
}

/** The colour window the WebAssembly module found, as worstColourWindow gives it. */
function colourWindowOf(found: WasmMeasure): LocalDifference {
  const w = found.colourWindow;
  const across = colourWidth - colourCells + 1;
  if (w < 0) return { difference: 0, cellX: 0, cellY: 0, cells: colourCells, channel: "red", tolerance: 0 };
  const channel = colourChannels[found.colourChannel] ?? "red";
  return { difference: found.colourDifference, cellX: w % across, cellY: Math.floor(w / across), cells: colourCells, channel, tolerance: found.colourTolerance };
}

/** The worse of the two windows, as similarity in [0, 1], with where and how much; `frame` is the size the thumbnails were made from. */
export function worstLocalDifference(a: Uint8Array, ai: number, b: Uint8Array, bi: number, frame: FramePixels, useWasm = true): LocalDifference & { similarity: number } {
  const colourSide = Math.min((colourCells * frame.width) / colourWidth, (colourCells * frame.height) / colourHeight);
  const edgeShare = (2 * chromaSamplePixels) / colourSide;
  const wasm = useWasm ? measureInWasm(a.subarray(ai * colourBytes, (ai + 1) * colourBytes), b.subarray(bi * colourBytes, (bi + 1) * colourBytes), edgeShare) : undefined;
  let detail: LocalDifference;
  let colour: LocalDifference;
  if (wasm !== undefined) {
    detail = detailWindowAt(wasm.detailSum, wasm.detailAt);
    colour = colourWindowOf(wasm);
  } else {
    const sides = { a, pa: ai * colourBytes, b, pb: bi * colourBytes };
    fillTables(a, sides.pa, b, sides.pb);
    detail = worstDetailWindow();
    colour = worstColourWindow(sides, edgeShare);
  }
  const detailSimilarity = Math.max(0, 1 - detail.difference / detailScale);
  const colourSimilarity = Math.max(0, Math.min(1, 1 - (colour.difference - colour.tolerance) / colourScale));
  return detailSimilarity <= colourSimilarity ? { ...detail, similarity: detailSimilarity } : { ...colour, similarity: colourSimilarity };
}

/** The worst window as a box in pixels of a `width`x`height` frame. */
export function regionBox(d: LocalDifference, width: number, height: number): { x: number; y: number; width: number; height: number } {
  const x0 = Math.floor((d.cellX * width) / colourWidth);
  const y0 = Math.floor((d.cellY * height) / colourHeight);
  const x1 = Math.ceil(((d.cellX + d.cells) * width) / colourWidth);
  const y1 = Math.ceil(((d.cellY + d.cells) * height) / colourHeight);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}
