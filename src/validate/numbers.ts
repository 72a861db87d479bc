// validate: rounding and summary statistics used by the report (rounded so reports read well and stay stable).
import { formatTimecode } from "../config/timecode.js";

export function round(value: number, digits = 4): number {
  const scale = 10 ** digits;
  const rounded = Math.round(value * scale) / scale;
  return Object.is(rounded, -0) ? 0 : rounded;
}

export interface Stats {
  min: number;
  p5: number;
  mean: number;
}

/** Minimum, 5th percentile (nearest rank) and mean; undefined for an empty list. */
export function stats(values: readonly number[]): Stats | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  const p5 = sorted[Math.floor(0.05 * (sorted.length - 1))];
  return { min: round(sorted[0]), p5: round(p5), mean: round(mean) };
}

export function frameTime(frame: number, fps: number): string {
  return formatTimecode(Math.max(0, frame) / fps);
}
