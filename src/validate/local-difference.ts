// validate: the perceptual frame measure: the worst local difference between two 64x36 YUV 4:4:4 thumbnails.
import { colourBytes, colourHeight, colourPlane, colourWidth } from "../media/index.js";

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
// Summed-area tables, reused by every call: the signed per-sample difference of each plane, and each
// side's chroma (U, V) and its square, for the windows' chroma deviation.
const tables = [new Int32Array(tableSize), new Int32Array(tableSize), new Int32Array(tableSize)] as const;
const chroma = { a: sideTables(), b: sideTables() };

function sideTables(): { u: Int32Array; uu: Int32Array; v: Int32Array; vv: Int32Array } {
  return { u: new Int32Array(tableSize), uu: new Int32Array(tableSize), v: new Int32Array(tableSize), vv: new Int32Array(tableSize) };
}

/** Fills `table` with the running sums of `value(k)` over the thumbnail's samples (k: index in one plane). */
function fillTable(table: Int32Array, value: (k: number) => number): void {
  for (let y = 0; y < colourHeight; y += 1) {
    let row = 0;
    for (let x = 0; x < colourWidth; x += 1) {
      row += value(y * colourWidth + x);
      table[(y + 1) * stride + x + 1] = (table[y * stride + x + 1] ?? 0) + row;
    }
  }
}

function fillTables(a: Uint8Array, pa: number, b: Uint8Array, pb: number): void {
  tables.forEach((table, plane) => {
    const offset = plane * colourPlane;
    fillTable(table, (k) => (a[pa + offset + k] ?? 0) - (b[pb + offset + k] ?? 0));
  });
  for (const [side, bytes, base] of [[chroma.a, a, pa], [chroma.b, b, pb]] as const) {
    const u = (k: number) => (bytes[base + colourPlane + k] ?? 128) - 128;
    const v = (k: number) => (bytes[base + 2 * colourPlane + k] ?? 128) - 128;
    fillTable(side.u, u);
    fillTable(side.uu, (k) => u(k) ** 2);
    fillTable(side.v, v);
    fillTable(side.vv, (k) => v(k) ** 2);
  }
}

/** Standard deviation of a side's chroma plane over a window, from its sum and square tables. */
function deviation(sum: Int32Array, squares: Int32Array, x: number, y: number, cells: number): number {
  const area = cells * cells;
  const mean = windowSum(sum, x, y, cells) / area;
  return Math.sqrt(Math.max(0, windowSum(squares, x, y, cells) / area - mean * mean));
}

function windowSum(table: Int32Array, x: number, y: number, cells: number): number {
  const top = y * stride;
  const bottom = (y + cells) * stride;
  return (table[bottom + x + cells] ?? 0) - (table[top + x + cells] ?? 0) - (table[bottom + x] ?? 0) + (table[top + x] ?? 0);
}

/** The detail window (luma only, in RGB levels: a grey change of that size) whose mean moves most. Ties keep the first (top-left): deterministic. */
function worstDetailWindow(): LocalDifference {
  const cells = detailCells;
  const area = cells * cells;
  let best: LocalDifference = { difference: 0, cellX: 0, cellY: 0, cells, channel: "luma", tolerance: 0 };
  for (let y = 0; y + cells <= colourHeight; y += 1) {
    for (let x = 0; x + cells <= colourWidth; x += 1) {
      const dy = Math.abs((1.164 * windowSum(tables[0], x, y, cells)) / area);
      if (dy > best.difference) best = { difference: dy, cellX: x, cellY: y, cells, channel: "luma", tolerance: 0 };
    }
  }
  return best;
}

/**
 * The colour window whose mean moves most beyond its chroma tolerance, with the YUV differences turned
 * into RGB linearly (BT.601, limited range) without clipping. `edgeShare` is 2 x chromaSamplePixels / window
 * side in frame pixels: a chroma step of height 2 x deviation moved by one chroma sample. Ties keep the first.
 */
function worstColourWindow(edgeShare: number): LocalDifference {
  const cells = colourCells;
  const area = cells * cells;
  const [ty, tu, tv] = tables;
  let best: LocalDifference = { difference: 0, cellX: 0, cellY: 0, cells, channel: "red", tolerance: 0 };
  let bestExcess = 0;
  for (let y = 0; y + cells <= colourHeight; y += 1) {
    for (let x = 0; x + cells <= colourWidth; x += 1) {
      const dy = (1.164 * windowSum(ty, x, y, cells)) / area;
      const du = windowSum(tu, x, y, cells) / area;
      const dv = windowSum(tv, x, y, cells) / area;
      const su = edgeShare * Math.min(deviation(chroma.a.u, chroma.a.uu, x, y, cells), deviation(chroma.b.u, chroma.b.uu, x, y, cells));
      const sv = edgeShare * Math.min(deviation(chroma.a.v, chroma.a.vv, x, y, cells), deviation(chroma.b.v, chroma.b.vv, x, y, cells));
      const channels = [
        { channel: "red", difference: Math.abs(dy + 1.596 * dv), tolerance: 1.596 * sv },
        { channel: "green", difference: Math.abs(dy - 0.392 * du - 0.813 * dv), tolerance: 0.392 * su + 0.813 * sv },
        { channel: "blue", difference: Math.abs(dy + 2.017 * du), tolerance: 2.017 * su },
      ] as const;
      for (const c of channels) {
        const excess = c.difference - c.tolerance;
        if (excess > bestExcess) {
          bestExcess = excess;
          best = { difference: c.difference, cellX: x, cellY: y, cells, channel: c.channel, tolerance: c.tolerance };
        }
      }
    }
  }
  return best;
}

/** The worse of the two windows, as similarity in [0, 1], with where and how much; `frame` is the size the thumbnails were made from. */
export function worstLocalDifference(a: Uint8Array, ai: number, b: Uint8Array, bi: number, frame: FramePixels): LocalDifference & { similarity: number } {
  fillTables(a, ai * colourBytes, b, bi * colourBytes);
  const colourSide = Math.min((colourCells * frame.width) / colourWidth, (colourCells * frame.height) / colourHeight);
  const detail = worstDetailWindow();
  const colour = worstColourWindow((2 * chromaSamplePixels) / colourSide);
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
