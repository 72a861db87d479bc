// validate: the perceptual frame measure: the worst local difference between two 64x36 YUV 4:4:4 thumbnails.
import { colourBytes, colourHeight, colourPlane, colourWidth } from "../media/index.js";

/**
 * Each thumbnail sample is the mean of a 5x5 block at 320x180. Two windows are judged, and the worst
 * window of either decides (never the frame mean):
 * - detail: luma over 2x2 samples (10x10 at 320x180, 1/576 of the frame): a 16x16 sprite at 320x180
 *   always covers one whole window; a missing sprite, a box or a black frame moves its mean.
 * - colour: RGB over 6x6 samples (30x30 at 320x180, 1.6% of the frame): a tint of a few levels in one
 *   channel; smaller windows would see the chroma loss of lossy encoding on small saturated details.
 * Means are signed: lossy encoding moves single pixels both ways and nearly cancels over a window,
 * while a wrong sprite or a colour shift moves the whole window one way.
 */
export const detailCells = 2;
export const colourCells = 6;
/** Levels at which a window's similarity reaches 0 (similarity = 1 - difference / scale). */
export const detailScale = 120;
export const colourScale = 60;

export interface LocalDifference {
  /** Largest windowed mean difference, in 8-bit levels of one RGB channel. */
  difference: number;
  /** Top-left thumbnail cell of the worst window. */
  cellX: number;
  cellY: number;
  /** Window side, in thumbnail cells. */
  cells: number;
  channel: "luma" | "red" | "green" | "blue";
}

const stride = colourWidth + 1;
// Summed-area tables of the signed per-sample difference, one per plane, reused by every call.
const tables = [new Int32Array(stride * (colourHeight + 1)), new Int32Array(stride * (colourHeight + 1)), new Int32Array(stride * (colourHeight + 1))] as const;

function fillTables(a: Uint8Array, pa: number, b: Uint8Array, pb: number): void {
  tables.forEach((table, plane) => {
    const offset = plane * colourPlane;
    for (let y = 0; y < colourHeight; y += 1) {
      let row = 0;
      for (let x = 0; x < colourWidth; x += 1) {
        const k = offset + y * colourWidth + x;
        row += (a[pa + k] ?? 0) - (b[pb + k] ?? 0);
        table[(y + 1) * stride + x + 1] = (table[y * stride + x + 1] ?? 0) + row;
      }
    }
  });
}

function windowSum(table: Int32Array, x: number, y: number, cells: number): number {
  const top = y * stride;
  const bottom = (y + cells) * stride;
  return (table[bottom + x + cells] ?? 0) - (table[top + x + cells] ?? 0) - (table[bottom + x] ?? 0) + (table[top + x] ?? 0);
}

/**
 * Largest windowed mean difference over `cells`x`cells` windows (the tables must hold the pair): of luma
 * only (in RGB levels: a grey change of that size), or of the colour, with the YUV differences turned
 * into RGB linearly (BT.601, limited range) without clipping. Ties keep the first (top-left): deterministic.
 */
function worstWindowOfTables(cells: number, lumaOnly: boolean): LocalDifference {
  const area = cells * cells;
  const [ty, tu, tv] = tables;
  let best: LocalDifference = { difference: 0, cellX: 0, cellY: 0, cells, channel: "luma" };
  for (let y = 0; y + cells <= colourHeight; y += 1) {
    for (let x = 0; x + cells <= colourWidth; x += 1) {
      const dy = (1.164 * windowSum(ty, x, y, cells)) / area;
      if (lumaOnly) {
        if (Math.abs(dy) > best.difference) best = { difference: Math.abs(dy), cellX: x, cellY: y, cells, channel: "luma" };
        continue;
      }
      const du = windowSum(tu, x, y, cells) / area;
      const dv = windowSum(tv, x, y, cells) / area;
      const red = Math.abs(dy + 1.596 * dv);
      const green = Math.abs(dy - 0.392 * du - 0.813 * dv);
      const blue = Math.abs(dy + 2.017 * du);
      const worst = Math.max(red, green, blue);
      if (worst > best.difference) best = { difference: worst, cellX: x, cellY: y, cells, channel: worst === red ? "red" : worst === green ? "green" : "blue" };
    }
  }
  return best;
}

export function worstWindow(a: Uint8Array, ai: number, b: Uint8Array, bi: number, cells: number, lumaOnly: boolean): LocalDifference {
  fillTables(a, ai * colourBytes, b, bi * colourBytes);
  return worstWindowOfTables(cells, lumaOnly);
}

/** The worse of the two windows, as similarity in [0, 1], with where and how much. */
export function worstLocalDifference(a: Uint8Array, ai: number, b: Uint8Array, bi: number): LocalDifference & { similarity: number } {
  fillTables(a, ai * colourBytes, b, bi * colourBytes);
  const detail = worstWindowOfTables(detailCells, true);
  const colour = worstWindowOfTables(colourCells, false);
  const detailSimilarity = Math.max(0, 1 - detail.difference / detailScale);
  const colourSimilarity = Math.max(0, 1 - colour.difference / colourScale);
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
