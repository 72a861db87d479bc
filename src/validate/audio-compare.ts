// validate: audio: offset by cross-correlating loudness/spectrum features, per-window similarity, silence and dropouts.
import { formatTimecode } from "../config/timecode.js";
import type { ComparisonMode } from "../config/validation-config.js";
import type { ValidationReport } from "../config/validation-report.js";
import { dbFloor, decodeDb, hopFeatureBytes, hopSamples, hopsPerWindow, windowSamples, type StoredAudioFeatures } from "../media/index.js";
import { round, stats } from "./numbers.js";
import type { AudioSide } from "./sides.js";

type AudioSection = ValidationReport["audio"];

export interface AudioComparisonInput {
  reference: AudioSide & { features: StoredAudioFeatures };
  capture: AudioSide & { features: StoredAudioFeatures };
  mode: ComparisonMode;
  /** Reference timeline window, seconds. */
  start: number;
  end: number;
  /** Where the picture alignment puts the window start in the capture, seconds. */
  captureStart: number;
  maxOffsetSeconds: number;
  similarityMin: number;
}

const silentDb = -60;
const soundDb = -45;
const minDropoutHops = 2;
const minSilenceMs = 500;

/** Features of every hop, each dimension scaled to zero mean and unit variance (constant dimensions become 0). */
function normalisedHops(hops: Uint8Array): Float64Array {
  const count = hops.length / hopFeatureBytes;
  const out = new Float64Array(hops.length);
  // Each dimension's scaled value of every byte value, computed once: the same expression per element.
  const scaled = new Float64Array(256);
  for (let d = 0; d < hopFeatureBytes; d += 1) {
    let sum = 0;
    let squares = 0;
    for (let t = 0; t < count; t += 1) {
      const v = hops[t * hopFeatureBytes + d];
      sum += v;
      squares += v * v;
    }
    const mean = sum / count;
    const deviation = Math.sqrt(Math.max(0, squares / count - mean * mean));
    for (let v = 0; v < 256; v += 1) scaled[v] = deviation < 1e-9 ? 0 : (v - mean) / deviation;
    for (let t = 0; t < count; t += 1) out[t * hopFeatureBytes + d] = scaled[hops[t * hopFeatureBytes + d]];
  }
  return out;
}

/** Mean of each dimension over groups of `factor` hops: a coarser copy for the first, wide search. */
function pooled(hops: Float64Array, factor: number): Float64Array {
  const count = Math.floor(hops.length / hopFeatureBytes / factor);
  const out = new Float64Array(count * hopFeatureBytes);
  for (let t = 0; t < count; t += 1) {
    for (let k = 0; k < factor; k += 1) {
      for (let d = 0; d < hopFeatureBytes; d += 1) out[t * hopFeatureBytes + d] += hops[(t * factor + k) * hopFeatureBytes + d] / factor;
    }
  }
  return out;
}

/** The reference hops [from, to) whose shifted capture hops exist, or none when the overlap is under a quarter of [r0, r1). */
function overlap(capCount: number, r0: number, r1: number, shift: number): { from: number; to: number } {
  const from = Math.max(r0, -shift);
  const to = Math.min(r1, capCount - shift);
  // Too little overlap says nothing.
  return to - from < (r1 - r0) * 0.25 || to <= from ? { from: 0, to: 0 } : { from, to };
}

/**
 * Mean product of the normalised features of reference hops [r0, r1) against capture hops shifted by
 * `shift` and by `other` (-Infinity for too little overlap): two lags in one pass over the reference, each
 * summed in its own order (hop by hop, dimension by dimension), so each is what it is computed alone.
 */
function correlationPair(ref: Float64Array, cap: Float64Array, r0: number, r1: number, shift: number, other: number): [number, number] {
  const capCount = cap.length / hopFeatureBytes;
  const a = overlap(capCount, r0, r1, shift);
  const b = overlap(capCount, r0, r1, other);
  let sumA = 0;
  let sumB = 0;
  const both = { from: Math.max(a.from, b.from), to: Math.min(a.to, b.to) };
  const one = (range: { from: number; to: number }, lag: number, from: number, to: number, sum: number) => {
    for (let t = Math.max(from, range.from); t < Math.min(to, range.to); t += 1) {
      const p = t * hopFeatureBytes;
      const q = (t + lag) * hopFeatureBytes;
      for (let d = 0; d < hopFeatureBytes; d += 1) sum += ref[p + d] * cap[q + d];
    }
    return sum;
  };
  // Hops only one lag covers come before or after those both cover: each sum still runs hop by hop.
  sumA = one(a, shift, -Infinity, both.to > both.from ? both.from : Infinity, sumA);
  sumB = one(b, other, -Infinity, both.to > both.from ? both.from : Infinity, sumB);
  for (let t = both.from; t < both.to; t += 1) {
    const p = t * hopFeatureBytes;
    const q = (t + shift) * hopFeatureBytes;
    const r = (t + other) * hopFeatureBytes;
    for (let d = 0; d < hopFeatureBytes; d += 1) {
      const x = ref[p + d];
      sumA += x * cap[q + d];
      sumB += x * cap[r + d];
    }
  }
  if (both.to > both.from) {
    sumA = one(a, shift, both.to, Infinity, sumA);
    sumB = one(b, other, both.to, Infinity, sumB);
  }
  const mean = (range: { from: number; to: number }, sum: number) => (range.to > range.from ? sum / ((range.to - range.from) * hopFeatureBytes) : -Infinity);
  return [mean(a, sumA), mean(b, sumB)];
}

/** correlationPair's score of each shift, two at a time. */
function correlations(ref: Float64Array, cap: Float64Array, r0: number, r1: number, shifts: readonly number[]): number[] {
  const scores: number[] = [];
  for (let k = 0; k < shifts.length; k += 2) scores.push(...correlationPair(ref, cap, r0, r1, shifts[k], shifts[k + 1] ?? shifts[k]).slice(0, Math.min(2, shifts.length - k)));
  return scores;
}

const poolFactor = 4;

/**
 * Best capture shift (in hops, fractional) for reference hops [r0, r1), searched in predicted +- maxLag:
 * first on features pooled by 4 hops, then hop by hop around the best, then a parabola through the peak.
 */
function bestShift(ref: Float64Array, cap: Float64Array, r0: number, r1: number, predicted: number, maxLag: number): { shift: number; score: number } {
  const refCoarse = pooled(ref, poolFactor);
  const capCoarse = pooled(cap, poolFactor);
  const c0 = Math.floor(r0 / poolFactor);
  const c1 = Math.floor(r1 / poolFactor);
  const centre = Math.round(predicted / poolFactor);
  const reach = Math.ceil(maxLag / poolFactor);
  let coarse = centre;
  let coarseScore = -Infinity;
  const coarseScores = correlations(refCoarse, capCoarse, c0, c1, Array.from({ length: 2 * reach + 1 }, (_, k) => centre + k - reach));
  for (let lag = -reach; lag <= reach; lag += 1) {
    const score = coarseScores[lag + reach];
    if (score > coarseScore + 1e-12 || (Math.abs(score - coarseScore) <= 1e-12 && Math.abs(lag) < Math.abs(coarse - centre))) {
      coarse = centre + lag;
      coarseScore = score;
    }
  }
  let best = coarse * poolFactor;
  let bestScore = -Infinity;
  const first = coarse * poolFactor - 2 * poolFactor;
  const fine = Array.from({ length: 4 * poolFactor + 1 }, (_, k) => first + k).filter((shift) => Math.abs(shift - predicted) <= maxLag);
  const fineScores = correlations(ref, cap, r0, r1, fine);
  for (const [k, shift] of fine.entries()) {
    const score = fineScores[k];
    // Ties (silence correlates the same at every shift) go to the shift nearest the prediction, as above.
    if (score > bestScore + 1e-12 || (Math.abs(score - bestScore) <= 1e-12 && Math.abs(shift - predicted) < Math.abs(best - predicted))) {
      best = shift;
      bestScore = score;
    }
  }
  const [before, after] = correlationPair(ref, cap, r0, r1, best - 1, best + 1);
  const curvature = before - 2 * bestScore + after;
  const fraction = Number.isFinite(before) && Number.isFinite(after) && curvature < 0 ? (0.5 * (before - after)) / curvature : 0;
  return { shift: best + Math.max(-0.5, Math.min(0.5, fraction)), score: bestScore };
}

/** Linear amplitude of each stored dB byte. */
const amplitude = Float64Array.from({ length: 256 }, (_, byte) => 10 ** (decodeDb(byte) / 20));

function loudness(hops: Uint8Array, hop: number): number {
  const index = hop * hopFeatureBytes;
  return index < 0 || index >= hops.length ? -Infinity : decodeDb(hops[index]);
}

/** Spectral similarity of one window (4 hops): cosine of band amplitudes, lowered by a loudness difference. */
function windowSimilarity(ref: Uint8Array, r: number, cap: Uint8Array, c: number): number {
  let refLoud = 0;
  let capLoud = 0;
  let dot = 0;
  let refNorm = 0;
  let capNorm = 0;
  for (let k = 0; k < hopsPerWindow; k += 1) {
    const rl = loudness(ref, r + k);
    const cl = loudness(cap, c + k);
    if (!Number.isFinite(cl)) return 0;
    refLoud += rl / hopsPerWindow;
    capLoud += cl / hopsPerWindow;
    for (let b = 1; b < hopFeatureBytes; b += 1) {
      const x = amplitude[ref[(r + k) * hopFeatureBytes + b]];
      const y = amplitude[cap[(c + k) * hopFeatureBytes + b]];
      dot += x * y;
      refNorm += x * x;
      capNorm += y * y;
    }
  }
  const refSilent = refLoud < silentDb;
  const capSilent = capLoud < silentDb;
  if (refSilent || capSilent) return refSilent && capSilent ? 1 : 0;
  const cosine = dot / Math.sqrt(refNorm * capNorm);
  const levelGap = Math.abs(refLoud - capLoud);
  return Math.max(0, Math.min(1, cosine * (levelGap <= 6 ? 1 : Math.max(0, 1 - (levelGap - 6) / 20))));
}

interface HopRange {
  start: number;
  end: number;
}

function hopRuns(flags: readonly boolean[], minLength: number): HopRange[] {
  const runs: HopRange[] = [];
  let t = 0;
  while (t < flags.length) {
    if (!flags[t]) {
      t += 1;
      continue;
    }
    const start = t;
    while (t < flags.length && flags[t]) t += 1;
    if (t - start >= minLength) runs.push({ start, end: t });
  }
  return runs;
}

/** Per 1024-sample window of the reference window: loudness of both sides (dBFS, capture shifted by the offset) and similarity. */
export interface AudioPlot {
  secondsPerWindow: number;
  referenceDb: number[];
  captureDb: number[];
  similarity: number[];
}

export function compareAudio(input: AudioComparisonInput): { section: AudioSection; plot: AudioPlot } {
  const refHops = input.reference.features.hops;
  const capHops = input.capture.features.hops;
  const rate = input.reference.features.profile.sampleRate;
  const hopsPerSecond = rate / hopSamples;
  const refCount = refHops.length / hopFeatureBytes;
  const r0 = Math.min(refCount, Math.round(input.start * hopsPerSecond));
  const r1 = Math.min(refCount, Math.round(input.end * hopsPerSecond));
  const predicted = Math.round(input.captureStart * hopsPerSecond) - r0;
  const maxLag = Math.round(input.maxOffsetSeconds * hopsPerSecond);
  const { shift, score } = bestShift(normalisedHops(refHops), normalisedHops(capHops), r0, r1, predicted, maxLag);
  const whole = Math.round(shift);
  const offsetMs = ((shift - predicted) * hopSamples * 1000) / rate;

  const similarities: number[] = [];
  const referenceDb: number[] = [];
  const captureDb: number[] = [];
  let matched = 0;
  const windows = Math.floor((r1 - r0) / hopsPerWindow);
  const windowShift = Math.round(shift / hopsPerWindow);
  for (let w = 0; w < windows; w += 1) {
    const r = r0 + w * hopsPerWindow;
    const similarity = windowSimilarity(refHops, r, capHops, r + whole);
    similarities.push(similarity);
    referenceDb.push(round(loudness(refHops, r), 1));
    captureDb.push(round(Math.max(dbFloor, loudness(capHops, r + whole)), 1));
    const refWindow = Math.floor(r / hopsPerWindow);
    const refHash = input.reference.hashes[refWindow];
    const ok = input.mode === "exact" ? refHash !== undefined && refHash === input.capture.hashes[refWindow + windowShift] : similarity >= input.similarityMin;
    if (ok) matched += 1;
  }

  const hopMs = (hopSamples * 1000) / rate;
  const toRange = (run: HopRange) => ({
    start: formatTimecode((r0 + run.start) / hopsPerSecond),
    end: formatTimecode((r0 + run.end) / hopsPerSecond),
    duration_ms: round((run.end - run.start) * hopMs, 1),
  });
  const capSilent = Array.from({ length: r1 - r0 }, (_, t) => !(loudness(capHops, r0 + t + whole) >= silentDb));
  const dropoutFlags = capSilent.map((silent, t) => silent && loudness(refHops, r0 + t) > soundDb);
  const silenceHops = Math.ceil(minSilenceMs / hopMs);

  const plot = { secondsPerWindow: windowSamples / rate, referenceDb, captureDb, similarity: similarities };
  const section: AudioSection = {
    status: "compared",
    sample_rate: rate,
    channels: input.reference.features.profile.channels,
    reference_windows: windows,
    matched_windows: matched,
    match_ratio: windows === 0 ? 0 : round(matched / windows, 6),
    offset_ms: round(offsetMs, 1),
    offset_windows: round((offsetMs * rate) / (1000 * windowSamples), 2),
    correlation: Number.isFinite(score) ? round(score) : 0,
    similarity: stats(similarities),
    dropouts: hopRuns(dropoutFlags, minDropoutHops).map(toRange),
    silent_ranges: hopRuns(capSilent, silenceHops).map(toRange),
  };
  return { section, plot };
}
