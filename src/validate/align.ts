/**
 * validate: banded dynamic-programming alignment of reference frames to capture frames (edit-distance
 * style, DTW-like). Each reference frame is paired with one capture frame, or has none (dropped); each
 * capture frame inside the span is paired or extra (duplicated/inserted). The band keeps |drift| small,
 * so the work is O(frames x band) and every drop or duplicate is located individually.
 */
import type { FrameMetric } from "./frame-similarity.js";

export type AlignStep =
  | { kind: "pair"; ref: number; cap: number }
  /** A reference frame with no capture frame; `cap` is the capture position it falls before. */
  | { kind: "missing"; ref: number; cap: number }
  /** A capture frame with no reference frame; `ref` is the reference position it falls before. */
  | { kind: "extra"; ref: number; cap: number };

/**
 * A skipped or extra frame costs as much as a wholly different frame: skipping is then never cheaper
 * than showing the wrong frame, and two gaps never replace one mismatch (a freeze stays a freeze).
 */
export const gapCost = 1;

const diag = 1;
const up = 2;
const left = 3;

/**
 * Aligns reference frames 0..refCount-1 to capture frames, with capture frame `i + offset` expected for
 * reference frame `i` and at most `band` frames of drift. Capture frames before or after the span are free.
 */
export function alignBanded(refCount: number, capCount: number, offset: number, band: number, metric: FrameMetric): AlignStep[] {
  const clamp = (j: number) => Math.max(0, Math.min(capCount, j));
  const lo = (i: number) => clamp(i + offset - band);
  const hi = (i: number) => clamp(i + offset + band);
  const width = 2 * band + 1;
  const cost = new Float64Array((refCount + 1) * width).fill(Infinity);
  const from = new Uint8Array((refCount + 1) * width);
  const at = (i: number, j: number) => i * width + (j - lo(i));
  const inRow = (i: number, j: number) => i >= 0 && j >= lo(i) && j <= hi(i);

  for (let j = lo(0); j <= hi(0); j += 1) cost[at(0, j)] = 0;
  for (let i = 1; i <= refCount; i += 1) {
    for (let j = lo(i); j <= hi(i); j += 1) {
      let best = Infinity;
      let move = 0;
      if (j > 0 && inRow(i - 1, j - 1)) {
        const c = (cost[at(i - 1, j - 1)]) + metric.cost(i - 1, j - 1);
        if (c < best) [best, move] = [c, diag];
      }
      if (inRow(i - 1, j)) {
        const c = (cost[at(i - 1, j)]) + gapCost;
        if (c < best) [best, move] = [c, up];
      }
      if (j > lo(i)) {
        // On a tie the later of two equal capture frames is the extra one (a repeat follows its original).
        const c = (cost[at(i, j - 1)]) + gapCost;
        if (c <= best) [best, move] = [c, left];
      }
      cost[at(i, j)] = best;
      from[at(i, j)] = move;
    }
  }

  // Free trailing capture frames: end where the total is lowest, nearest the expected diagonal on ties.
  let endJ = lo(refCount);
  for (let j = lo(refCount); j <= hi(refCount); j += 1) {
    const c = cost[at(refCount, j)];
    const e = cost[at(refCount, endJ)];
    if (c < e - 1e-12 || (Math.abs(c - e) <= 1e-12 && Math.abs(j - refCount - offset) < Math.abs(endJ - refCount - offset))) endJ = j;
  }

  const steps: AlignStep[] = [];
  let i = refCount;
  let j = endJ;
  while (i > 0) {
    const move = from[at(i, j)];
    if (move === diag) {
      steps.push({ kind: "pair", ref: i - 1, cap: j - 1 });
      i -= 1;
      j -= 1;
    } else if (move === up) {
      steps.push({ kind: "missing", ref: i - 1, cap: j });
      i -= 1;
    } else {
      steps.push({ kind: "extra", ref: i, cap: j - 1 });
      j -= 1;
    }
  }
  return steps.reverse();
}
