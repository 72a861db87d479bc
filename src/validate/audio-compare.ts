// validate: audio: offset by cross-correlating loudness/spectrum features, per-window similarity, silence and dropouts.
import { formatTimecode, type ComparisonMode, type ValidationReport } from "../config/index.js";
import { decodeDb, hopFeatureBytes, hopSamples, hopsPerWindow, windowSamples, type StoredAudioFeatures } from "../media/index.js";
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
    for (let t = 0; t < count; t += 1) {
      out[t * hopFeatureBytes + d] = deviation < 1e-9 ? 0 : ((hops[t * hopFeatureBytes + d]) - mean) / deviation;
    }
  }
  return out;
}

/** Mean product of the normalised features of reference hops [r0, r1) against capture hops shifted by `shift`. */
function correlation(ref: Float64Array, cap: Float64Array, r0: number, r1: number, shift: number, stride: number): number {
  const capCount = cap.length / hopFeatureBytes;
  let sum = 0;
  let count = 0;
  for (let t = r0; t < r1; t += stride) {
    const c = t + shift;
    if (c < 0 || c >= capCount) continue;
    for (let d = 0; d < hopFeatureBytes; d += 1) sum += (ref[t * hopFeatureBytes + d]) * (cap[c * hopFeatureBytes + d]);
    count += hopFeatureBytes;
  }
  // Too little overlap says nothing.
  return count < ((r1 - r0) / stride) * hopFeatureBytes * 0.25 ? -Infinity : sum / count;
}

/** Best capture shift (in hops, fractional) for reference hops [r0, r1), searched in predicted +- maxLag. */
function bestShift(ref: Float64Array, cap: Float64Array, r0: number, r1: number, predicted: number, maxLag: number): { shift: number; score: number } {
  let coarse = predicted;
  let coarseScore = -Infinity;
  for (let lag = -maxLag; lag <= maxLag; lag += 1) {
    const score = correlation(ref, cap, r0, r1, predicted + lag, 4);
    if (score > coarseScore + 1e-12 || (Math.abs(score - coarseScore) <= 1e-12 && Math.abs(lag) < Math.abs(coarse - predicted))) {
      coarse = predicted + lag;
      coarseScore = score;
    }
  }
  let best = coarse;
  let bestScore = -Infinity;
  for (let shift = coarse - 4; shift <= coarse + 4; shift += 1) {
    const score = correlation(ref, cap, r0, r1, shift, 1);
    if (score > bestScore + 1e-12) {
      best = shift;
      bestScore = score;
    }
  }
  // Parabolic interpolation of the peak gives sub-hop precision.
  const before = correlation(ref, cap, r0, r1, best - 1, 1);
  const after = correlation(ref, cap, r0, r1, best + 1, 1);
  const curvature = before - 2 * bestScore + after;
  const fraction = Number.isFinite(before) && Number.isFinite(after) && curvature < 0 ? (0.5 * (before - after)) / curvature : 0;
  return { shift: best + Math.max(-0.5, Math.min(0.5, fraction)), score: bestScore };
}

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
      const x = 10 ** (decodeDb(ref[(r + k) * hopFeatureBytes + b]) / 20);
      const y = 10 ** (decodeDb(cap[(c + k) * hopFeatureBytes + b]) / 20);
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

export function compareAudio(input: AudioComparisonInput): AudioSection {
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
  let matched = 0;
  const windows = Math.floor((r1 - r0) / hopsPerWindow);
  const windowShift = Math.round(shift / hopsPerWindow);
  for (let w = 0; w < windows; w += 1) {
    const r = r0 + w * hopsPerWindow;
    const similarity = windowSimilarity(refHops, r, capHops, r + whole);
    similarities.push(similarity);
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

  return {
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
}
