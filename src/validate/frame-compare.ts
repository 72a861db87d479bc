// validate: comparing the reference window's frames with the capture: alignment, drops, duplicates, mismatch runs, drift.
import type { ComparisonMode } from "../config/validation-config.js";
import type { MismatchCategory, ValidationReport } from "../config/validation-report.js";
import { signatureBytes, thumbRmse } from "../media/index.js";
import { alignBanded, type AlignStep } from "./align.js";
import type { BlockPair } from "./block-ssim-wasm.js";
import { blockPair, ExactMetric, isDarkAndFlat, LocatorMetric, PerceptualMetric, type ColourThumbs, type FrameMetric } from "./frame-similarity.js";
import { regionBox, type LocalDifference } from "./local-difference.js";
import { frameTime, round, stats } from "./numbers.js";
import { estimateOffset, hashVotes, perceptualVotes } from "./offset.js";
import { frameCount, type VideoSide } from "./sides.js";

export interface FrameComparisonInput {
  reference: VideoSide;
  capture: VideoSide;
  referenceFps: number;
  captureFps: number;
  /** Reference frames [start, end) inside [timeline]. */
  window: { start: number; end: number };
  mode: ComparisonMode;
  frameSimilarityMin: number;
  maxDriftFrames: number;
}

export interface FrameDetail {
  /** Per reference frame of the window. */
  similarity: Array<number | undefined>;
  matched: boolean[];
  /** Capture frame shown for each reference frame, when it has one. */
  captureFrame: Array<number | undefined>;
  drift: Array<number | undefined>;
  /** Worst local difference of each paired reference frame, when colour thumbnails exist. */
  region: Array<LocalDifference | undefined>;
  /** First failing pairs (absolute reference frame, capture frame), earliest first. */
  worst: Array<{ ref: number; cap: number; similarity: number | undefined }>;
}

export interface FrameComparison {
  section: ValidationReport["frames"];
  detail: FrameDetail;
  /** Capture frame where the reference window starts (may be negative when the capture starts late). */
  captureStartFrame: number;
  /**
   * Frames paired but not matched for no visible reason (not black, not frozen); how many of them
   * look alike (worst local difference within frame_similarity_min); and the runs of paired frames
   * that do not look alike, with their worst region (in exact mode these are the real changes).
   */
  differentPairs: { count: number; alike: number; distinctRuns: Run[] };
}

type FrameSection = ValidationReport["frames"];
export type Run = FrameSection["mismatch_runs"][number];

// A frame is black when its thumbnail is dark and flat; a capture frame is frozen when it repeats the
// previous one while the reference moves. Both are in 8-bit luma steps of the 64x36 thumbnail.
const blackMean = 20;
const blackDeviation = 5;
const stillRmse = 0.75;
const movingRmse = 1.5;

function sliceThumbs(side: VideoSide, start: number, end: number): Uint8Array | undefined {
  return side.features?.signatures.subarray(start * signatureBytes, end * signatureBytes);
}

function colourThumbs(input: FrameComparisonInput): ColourThumbs | undefined {
  const reference = input.reference.features;
  const capture = input.capture.features;
  if (reference === undefined || capture === undefined) return undefined;
  return { ref: reference.colour, refBase: input.window.start, cap: capture.colour, frame: { width: Math.min(reference.width, capture.width), height: Math.min(reference.height, capture.height) } };
}


export function compareFrames(input: FrameComparisonInput): FrameComparison {
  const { window } = input;
  const refHashes = input.reference.hashes?.slice(window.start, window.end);
  const capHashes = input.capture.hashes;
  const n = window.end - window.start;
  const m = frameCount(input.capture);
  const refThumbs = sliceThumbs(input.reference, window.start, window.end);
  const capThumbs = input.capture.features?.signatures;
  const blocks = refThumbs !== undefined && capThumbs !== undefined ? blockPair(refThumbs, capThumbs) : undefined;
  const refPhashes = input.reference.features?.phashes.slice(window.start, window.end);
  const capPhashes = input.capture.features?.phashes;

  const colour = colourThumbs(input);
  const metric = frameMetric(input, refHashes, capHashes, blocks, colour);
  let votes = input.mode === "exact" && refHashes !== undefined && capHashes !== undefined ? hashVotes(refHashes, capHashes) : [];
  if (votes.length === 0 && refPhashes !== undefined && capPhashes !== undefined) votes = perceptualVotes(refPhashes, capPhashes);
  // Locating the window needs a graded cost: thumbnails when both sides have them, else the hashes.
  const locator = blocks === undefined ? metric : new LocatorMetric(blocks);
  const voted = estimateOffset(votes, n, m, locator);
  // One frame beyond the limit, so drift just past max_drift_frames is seen and reported, not hidden.
  const band = Math.max(1, input.maxDriftFrames + 1);
  const steps = alignBanded(n, m, voted, band, metric);
  // Drift is measured from where the window starts in the capture (the first paired frame).
  const firstPair = steps.find((s) => s.kind === "pair");
  const offset = firstPair === undefined ? voted : firstPair.cap - firstPair.ref;

  const capStill = (j: number): boolean =>
    j > 0 && ((capHashes !== undefined && capHashes[j] === capHashes[j - 1]) || (capThumbs !== undefined && thumbRmse(capThumbs, j, capThumbs, j - 1) < stillRmse));
  const refMoving = (i: number): boolean =>
    i > 0 && (refHashes === undefined || refHashes[i] !== refHashes[i - 1]) && (refThumbs === undefined || thumbRmse(refThumbs, i, refThumbs, i - 1) > movingRmse);

  const { detail, category, dropped, duplicated, alike } = classifySteps(steps, { input, metric, blocks, capStill, refMoving, offset, capHashes, capThumbs });

  const matchedFrames = detail.matched.filter(Boolean).length;
  const size = sizeOf(input.reference);
  const runs = mismatchRuns(category, detail, window.start, input.referenceFps, size);
  const distinctCategory = detail.similarity.map((sim, i) => (category[i] === "different" && sim !== undefined && sim < input.frameSimilarityMin ? ("different" as const) : undefined));
  const distinctRuns = mismatchRuns(distinctCategory, detail, window.start, input.referenceFps, size);
  const driftValues = detail.drift.filter((d): d is number => d !== undefined);
  const capturePairs = steps.filter((s): s is Extract<AlignStep, { kind: "pair" }> => s.kind === "pair");
  const similarityStats = input.mode === "perceptual" ? stats(detail.similarity.map((s) => s ?? 0)) : undefined;
  detail.worst = worstPairs(detail, window.start);

  const section: FrameSection = {
    reference_fps: input.referenceFps,
    capture_fps: input.captureFps,
    reference_window: range(window.start, window.end - 1, input.referenceFps),
    capture_span:
      capturePairs.length === 0
        ? undefined
        : range((capturePairs[0] as { cap: number }).cap, (capturePairs[capturePairs.length - 1] as { cap: number }).cap, input.captureFps),
    offset_frames: offset - window.start,
    band_frames: band,
    reference_frames: n,
    capture_frames: m,
    matched_frames: matchedFrames,
    match_ratio: n === 0 ? 0 : round(matchedFrames / n, 6),
    dropped: { count: dropped.length, frames: dropped },
    duplicated: { count: duplicated.length, frames: duplicated },
    mismatch_runs: runs,
    drift: {
      max_abs_frames: driftValues.reduce((max, d) => Math.max(max, Math.abs(d)), 0),
      segments: driftSegments(detail.drift, window.start, input.referenceFps),
    },
    similarity: similarityStats,
  };
  const differentCount = category.filter((c) => c === "different").length;
  return { section, detail, captureStartFrame: offset, differentPairs: { count: differentCount, alike, distinctRuns } };
}

interface StepContext {
  input: FrameComparisonInput;
  metric: FrameMetric;
  blocks: BlockPair | undefined;
  capStill: (j: number) => boolean;
  refMoving: (i: number) => boolean;
  /** Capture minus reference index of the first pair. */
  offset: number;
  capHashes: readonly string[] | undefined;
  capThumbs: Uint8Array | undefined;
}

/** Each reference frame's pairing, similarity and category (black, freeze, different, dropped, missing), and the extra capture frames. */
function classifySteps(steps: readonly AlignStep[], context: StepContext) {
  const { input, metric, blocks, capStill, refMoving, offset, capHashes, capThumbs } = context;
  const n = input.window.end - input.window.start;
  const { window } = input;
  const firstPair = steps.find((s) => s.kind === "pair");
  const lastPair = [...steps].reverse().find((s) => s.kind === "pair");
  const detail: FrameDetail = {
    similarity: new Array<number | undefined>(n).fill(undefined),
    matched: new Array<boolean>(n).fill(false),
    captureFrame: new Array<number | undefined>(n).fill(undefined),
    drift: new Array<number | undefined>(n).fill(undefined),
    region: new Array<LocalDifference | undefined>(n).fill(undefined),
    worst: [],
  };
  const category = new Array<MismatchCategory | undefined>(n).fill(undefined);
  const dropped: FrameSection["dropped"]["frames"] = [];
  const duplicated: FrameSection["duplicated"]["frames"] = [];
  let alike = 0;

  for (const step of steps) {
    if (step.kind === "pair") {
      const { ref: i, cap: j } = step;
      const similarity = metric.similarity(i, j);
      const frozen = capStill(j) && refMoving(i);
      const black = blocks !== undefined && isDarkAndFlat(blocks.cap, j, blackMean, blackDeviation) && !isDarkAndFlat(blocks.ref, i, blackMean, blackDeviation);
      detail.similarity[i] = similarity === undefined ? undefined : round(similarity);
      detail.captureFrame[i] = j;
      detail.region[i] = metric.region(i, j);
      detail.drift[i] = j - i - offset;
      detail.matched[i] = metric.matched(i, j) && !frozen && !black;
      if (!detail.matched[i]) category[i] = black ? "black" : frozen ? "freeze" : "different";
      if (category[i] === "different" && similarity !== undefined && similarity >= input.frameSimilarityMin) alike += 1;
    } else if (step.kind === "missing") {
      const outside = firstPair === undefined || step.ref < firstPair.ref || (lastPair !== undefined && step.ref > lastPair.ref);
      category[step.ref] = outside ? "missing_material" : "dropped";
      detail.similarity[step.ref] = input.mode === "perceptual" ? 0 : undefined;
      if (!outside) dropped.push({ reference_frame: window.start + step.ref, time: frameTime(window.start + step.ref, input.referenceFps) });
    } else {
      duplicated.push(extraFrame(step, input, capHashes, capThumbs));
    }
  }

  return { detail, category, dropped, duplicated, alike };
}

function frameMetric(
  input: FrameComparisonInput,
  refHashes: readonly string[] | undefined,
  capHashes: readonly string[] | undefined,
  blocks: BlockPair | undefined,
  colour: ColourThumbs | undefined,
): FrameMetric {
  if (input.mode === "perceptual") {
    if (blocks === undefined || colour === undefined) throw new Error("perceptual comparison needs thumbnails on both sides (the side loader provides them)");
    return new PerceptualMetric(blocks, colour, input.frameSimilarityMin);
  }
  if (refHashes === undefined || capHashes === undefined) throw new Error("exact comparison needs hashes on both sides (the side loader provides them)");
  return new ExactMetric(refHashes, capHashes, colour);
}

function range(start: number, end: number, fps: number): FrameSection["reference_window"] {
  return { start_frame: start, end_frame: end, start: frameTime(start, fps), end: frameTime(end + 1, fps), frames: Math.max(0, end - start + 1) };
}

function extraFrame(
  step: Extract<AlignStep, { kind: "extra" }>,
  input: FrameComparisonInput,
  capHashes: readonly string[] | undefined,
  capThumbs: Uint8Array | undefined,
): FrameSection["duplicated"]["frames"][number] {
  const j = step.cap;
  const repeats = (k: number) =>
    k >= 0 &&
    k < frameCount(input.capture) &&
    ((capHashes !== undefined && capHashes[k] === capHashes[j]) || (capThumbs !== undefined && thumbRmse(capThumbs, j, capThumbs, k) < stillRmse));
  return {
    capture_frame: j,
    capture_time: frameTime(j, input.captureFps),
    time: frameTime(input.window.start + step.ref, input.referenceFps),
    kind: repeats(j - 1) || repeats(j + 1) ? "duplicated" : "inserted",
  };
}

const categoryRank: Record<MismatchCategory, number> = { black: 0, freeze: 1, missing_material: 2, dropped: 3, different: 4 };

function sizeOf(side: VideoSide): { width: number; height: number } | undefined {
  return side.features === undefined ? undefined : { width: side.features.width, height: side.features.height };
}

/** The frame of a run with the lowest similarity (its worst window decides), and where in it (pixels of the reference frame). */
function worstRegion(detail: FrameDetail, from: number, to: number, base: number, size: { width: number; height: number } | undefined): Run["worst_region"] {
  let worst: number | undefined;
  for (let i = from; i < to; i += 1) {
    if (detail.region[i] !== undefined && (worst === undefined || (detail.similarity[i] ?? 1) < (detail.similarity[worst] ?? 1))) worst = i;
  }
  const d = worst === undefined ? undefined : detail.region[worst];
  const cap = worst === undefined ? undefined : detail.captureFrame[worst];
  if (worst === undefined || d === undefined || cap === undefined || size === undefined) return undefined;
  return { reference_frame: base + worst, capture_frame: cap, ...regionBox(d, size.width, size.height), channel: d.channel, difference: round(d.difference, 2), tolerance: round(d.tolerance, 2) };
}

/** Consecutive unmatched reference frames, longest first (then earliest). */
function mismatchRuns(category: ReadonlyArray<MismatchCategory | undefined>, detail: FrameDetail, base: number, fps: number, size: { width: number; height: number } | undefined): Run[] {
  const similarity = detail.similarity;
  const runs: Run[] = [];
  let i = 0;
  while (i < category.length) {
    if (category[i] === undefined) {
      i += 1;
      continue;
    }
    const start = i;
    const counts = new Map<MismatchCategory, number>();
    const sims: number[] = [];
    while (i < category.length && category[i] !== undefined) {
      const c = category[i] as MismatchCategory;
      counts.set(c, (counts.get(c) ?? 0) + 1);
      if (similarity[i] !== undefined) sims.push(similarity[i] as number);
      i += 1;
    }
    const main = [...counts.entries()].sort((a, b) => b[1] - a[1] || categoryRank[a[0]] - categoryRank[b[0]])[0]?.[0] ?? "different";
    runs.push({
      ...range(base + start, base + i - 1, fps),
      category: main,
      mean_similarity: sims.length === 0 ? undefined : round(sims.reduce((a, b) => a + b, 0) / sims.length),
      worst_region: worstRegion(detail, start, i, base, size),
    });
  }
  return runs.sort((a, b) => b.frames - a.frames || a.start_frame - b.start_frame);
}

/** Drift per one-second segment of the reference window. */
function driftSegments(drift: ReadonlyArray<number | undefined>, base: number, fps: number): FrameSection["drift"]["segments"] {
  const size = Math.max(1, Math.round(fps));
  const segments: FrameSection["drift"]["segments"] = [];
  for (let start = 0; start < drift.length; start += size) {
    const values = drift.slice(start, start + size).filter((d): d is number => d !== undefined);
    if (values.length === 0) continue;
    const end = Math.min(drift.length, start + size);
    segments.push({
      start: frameTime(base + start, fps),
      end: frameTime(base + end, fps),
      min_frames: Math.min(...values),
      max_frames: Math.max(...values),
      mean_frames: round(values.reduce((a, b) => a + b, 0) / values.length, 3),
    });
  }
  return segments;
}

/** The first failing paired frames (one per neighbourhood of 5 frames), for the report's thumbnails. */
function worstPairs(detail: FrameDetail, base: number): FrameDetail["worst"] {
  const candidates = detail.captureFrame
    .map((cap, i) => ({ i, cap, similarity: detail.similarity[i], matched: detail.matched[i] }))
    .filter((c): c is { i: number; cap: number; similarity: number | undefined; matched: boolean } => c.cap !== undefined && !c.matched)
    .sort((a, b) => a.i - b.i);
  const chosen: FrameDetail["worst"] = [];
  for (const c of candidates) {
    if (chosen.some((w) => Math.abs(w.ref - (base + c.i)) < 5)) continue;
    chosen.push({ ref: base + c.i, cap: c.cap, similarity: c.similarity });
    if (chosen.length === 4) break;
  }
  return chosen;
}
