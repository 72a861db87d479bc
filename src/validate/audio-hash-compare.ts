// validate: exact audio comparison from hash lists alone (prior-art lists without a features file): window hash equality at the voted offset.
import type { ValidationReport } from "../config/validation-report.js";
import { windowSamples, type AudioProfile } from "../media/index.js";
import { round } from "./numbers.js";
import { hashVotes, mostVoted } from "./offset.js";

export interface AudioHashComparisonInput {
  referenceHashes: readonly string[];
  captureHashes: readonly string[];
  profile: AudioProfile;
  /** Reference timeline window, seconds. */
  start: number;
  end: number;
  /** Where the picture alignment puts the window start in the capture, seconds. */
  captureStart: number;
  maxOffsetSeconds: number;
}

/** Without features there is no loudness: offsets are whole windows, and silence and dropouts are not detected. */
export function compareAudioHashes(input: AudioHashComparisonInput): ValidationReport["audio"] {
  const perSecond = input.profile.sampleRate / windowSamples;
  const w0 = Math.min(input.referenceHashes.length, Math.round(input.start * perSecond));
  const w1 = Math.min(input.referenceHashes.length, Math.round(input.end * perSecond));
  const reference = input.referenceHashes.slice(w0, w1);
  const predicted = Math.round(input.captureStart * perSecond);
  const reach = Math.round(input.maxOffsetSeconds * perSecond);
  const votes = hashVotes(reference, input.captureHashes).filter((shift) => Math.abs(shift - predicted) <= reach);
  const shift = votes.length === 0 ? predicted : mostVoted(votes.map((v) => v - predicted)) + predicted;
  const matched = reference.filter((hash, w) => input.captureHashes[w + shift] === hash).length;
  const offsetWindows = shift - predicted;
  return {
    status: "compared",
    sample_rate: input.profile.sampleRate,
    channels: input.profile.channels,
    reference_windows: reference.length,
    matched_windows: matched,
    match_ratio: reference.length === 0 ? 0 : round(matched / reference.length, 6),
    offset_ms: round((offsetWindows * windowSamples * 1000) / input.profile.sampleRate, 1),
    offset_windows: offsetWindows,
    dropouts: [],
    silent_ranges: [],
  };
}
