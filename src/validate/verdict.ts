// validate: the checks that decide pass/fail, and triage: each failure with a category and a concrete suggestion.
import type { FailureCategory, MismatchCategory, ValidationReport } from "../config/validation-report.js";
import { colourScale, detailScale } from "./local-difference.js";
import type { EffectiveSettings } from "./settings.js";

type Check = ValidationReport["checks"][number];
type Failure = ValidationReport["failures"][number];

const suggestions: Record<FailureCategory, string> = {
  missing_material:
    "the capture does not cover the whole reference window: capture longer, check that the run did not exit or crash early (see the run log), or fix [timeline]",
  dropped_frames:
    "the rebuilt program skipped frames here: check frame pacing in the runtime (present/vsync timing, long frames) around this time",
  duplicated_frames: "a frame was shown twice here: the runtime stalled for a frame; look for a long frame (I/O, shader work) around this time",
  freeze: "the picture stopped updating while the reference moves: look for a stall or a blocked thread at this point of the run log",
  black_frames: "the capture shows black frames here: a render pass or present was skipped; check the GPU/present log around this time",
  visual_mismatch: "the frames differ from the reference here: compare the thumbnails in validation-report.html and check how this scene is rendered",
  // The real text names the tolerance (see encodingSuggestion); this one stands for audio.
  encoding_difference:
    'the media sound or look the same but their bytes differ, as after a re-encode: set [comparison] mode = "perceptual" in validation_config.toml, or normalize both sides with `recomp normalize`',
  drift: "timing drifts from the reference: check the emulated clock and frame pacing; input replay may be early or late",
  audio_missing: "one side has no audio: set [capture] audio_file and the extract_audio command, or [hashes.audio] in both TOML files",
  audio_offset: "the audio is offset from the picture: check audio latency and buffering in the runtime (or the capture tool's A/V sync)",
  audio_dropout: "the capture is silent where the reference has sound: an audio buffer underran or a voice was not started",
  audio_mismatch: "the audio differs from the reference: check sample rate conversion, mixing and the audio renderer",
  event_drift: "the event happens at a different time than in the reference: check input replay timing and game logic timing before this point",
  media_mismatch: "the media file does not match what its TOML declares: fix the TOML or normalize the file with `recomp normalize`",
};

const runCategory: Record<MismatchCategory, FailureCategory> = {
  dropped: "dropped_frames",
  missing_material: "missing_material",
  freeze: "freeze",
  black: "black_frames",
  different: "visual_mismatch",
};

const listed = 5;

export interface VerdictInput {
  settings: EffectiveSettings;
  frames: ValidationReport["frames"];
  audio: ValidationReport["audio"];
  events: ValidationReport["events"];
  /** Paired frames that differ for no visible reason: how many look alike, and where they do not (spots a re-encode in exact mode). */
  differentPairs: { count: number; alike: number; distinctRuns: Run[] };
  /** Frame size and rate of each side, when known. */
  shapes?: { reference: Shape; capture: Shape } | undefined;
}

interface Shape {
  width: number | undefined;
  height: number | undefined;
  fps: number;
}

type Run = ValidationReport["frames"]["mismatch_runs"][number];

/** What perceptual mode would let pass, so the advice to use it says what it hides. */
export function toleratedLevels(minimum: number): { detail: number; colour: number } {
  return { detail: Number(((1 - minimum) * detailScale).toFixed(2)), colour: Number(((1 - minimum) * colourScale).toFixed(2)) };
}

function encodingSuggestion(minimum: number): string {
  const levels = toleratedLevels(minimum);
  return (
    `these frames differ in pixels only by spread, noise-like amounts, as after a re-encode: set [comparison] mode = "perceptual" in validation_config.toml, ` +
    `or normalize both sides with \`recomp normalize\`. Perceptual mode at frame_similarity_min = ${minimum} still fails a 10x10 region (at 320x180) whose mean ` +
    `brightness moves by more than ${levels.detail} levels and a 25x25 region whose mean moves by more than ${levels.colour} levels in one colour channel ` +
    "(a little more across sharp colour edges, which 4:2:0 chroma spreads); " +
    "it hides smaller local changes and every pixel-level difference below that"
  );
}

function describeRun(run: Run): string {
  const base = `${run.frames} frame(s) ${run.category.replace("_", " ")} from ${run.start} to ${run.end}`;
  const r = run.worst_region;
  if (r === undefined) return base;
  return `${base}; most at reference frame ${r.reference_frame} (capture ${r.capture_frame}) in the ${r.width}x${r.height} region at x=${r.x}, y=${r.y}: ${r.channel} differs by ${r.difference} levels${r.tolerance > 0 ? ` (${r.tolerance} of them excused at colour edges)` : ""}`;
}

function sizeText(shape: Shape): string {
  return shape.width === undefined || shape.height === undefined ? "of unknown size" : `${shape.width}x${shape.height}`;
}

/** A size or rate difference, naming both sides, or undefined. */
export function shapeMismatch(shapes: VerdictInput["shapes"]): string | undefined {
  if (shapes === undefined) return undefined;
  const { reference: r, capture: c } = shapes;
  const parts: string[] = [];
  if (r.width !== undefined && c.width !== undefined && (r.width !== c.width || r.height !== c.height)) parts.push(`the reference frames are ${sizeText(r)} and the capture frames ${sizeText(c)}`);
  if (Math.abs(r.fps - c.fps) > 1e-9) parts.push(`the reference runs at ${r.fps} fps and the capture at ${c.fps} fps`);
  return parts.length === 0 ? undefined : parts.join("; ");
}

/** Records each check made and the failures it finds. */
interface Recorder {
  check: (name: string, value: number | boolean | string, limit: number | boolean | string, passed: boolean) => boolean;
  fail: (category: FailureCategory, message: string, where?: { start: string; end: string }, suggestion?: string) => void;
}

/** The audio checks (or the one that says audio was required but not compared). */
function audioChecks(input: VerdictInput, exact: boolean, { check, fail }: Recorder): void {
  const t = input.settings.thresholds;
  const { audio } = input;
  const requireAudio = input.settings.requireAudio.value;
  if (audio.status === "compared") {
    const ratio = audio.match_ratio ?? 0;
    const chunks = Math.abs(audio.offset_windows ?? 0);
    if (!check("audio_match_ratio", ratio, t.audio_match_ratio.value, ratio >= t.audio_match_ratio.value)) {
      const alike = exact && chunks <= t.max_audio_drift_chunks.value && (audio.similarity?.mean ?? 0) >= t.audio_similarity_min.value;
      fail(alike ? "encoding_difference" : "audio_mismatch", `${audio.matched_windows ?? 0} of ${audio.reference_windows ?? 0} audio windows match${alike ? " exactly, yet they sound alike" : ""}`);
    }
    if (!check("max_audio_drift_chunks", chunks, t.max_audio_drift_chunks.value, chunks <= t.max_audio_drift_chunks.value)) {
      fail("audio_offset", `the audio is ${audio.offset_ms ?? 0} ms ${(audio.offset_ms ?? 0) > 0 ? "late" : "early"} against the picture (${chunks} windows of 1024 samples)`);
    }
    const longest = audio.dropouts.reduce((max, d) => Math.max(max, d.duration_ms), 0);
    if (!check("max_audio_dropout_ms", longest, t.max_audio_dropout_ms.value, longest <= t.max_audio_dropout_ms.value)) {
      for (const d of audio.dropouts.filter((x) => x.duration_ms > t.max_audio_dropout_ms.value).slice(0, listed)) {
        fail("audio_dropout", `${d.duration_ms} ms of silence from ${d.start} to ${d.end}`, d);
      }
    }
  } else if (requireAudio) {
    check("require_audio", audio.status, "compared", false);
    fail("audio_missing", `require_audio is set but the audio was not compared (${audio.status.replace(/_/g, " ")})`);
  }
}

/** One check per event inside the window. */
function eventChecks(input: VerdictInput, { check, fail }: Recorder): void {
  const t = input.settings.thresholds;
  for (const event of input.events) {
    if (event.source === "outside_window") continue;
    check(`event ${event.name}`, event.drift_seconds ?? "not found", t.event_drift_max_seconds.value, event.passed);
    if (!event.passed) {
      const at = event.observed_capture_time ?? "nowhere";
      fail("event_drift", `event "${event.name}" (reference ${event.reference_time}) is observed at ${at}, expected ${event.expected_capture_time ?? "?"} (drift ${event.drift_seconds ?? "?"} s)`, {
        start: event.reference_time,
        end: event.reference_time,
      });
    }
  }
}

export function decide(input: VerdictInput): { checks: Check[]; failures: Failure[]; passed: boolean } {
  const t = input.settings.thresholds;
  const { frames } = input;
  const checks: Check[] = [];
  const failures: Failure[] = [];
  // Each finding belongs to the check just made (the JUnit test case that carries its message).
  let currentCheck = "";
  const fail = (category: FailureCategory, message: string, where?: { start: string; end: string }, suggestion = suggestions[category]) => {
    if (failures.some((f) => f.category === category && f.message === message)) return;
    failures.push({ category, check: currentCheck, message, suggestion, start: where?.start, end: where?.end });
  };
  const check = (name: string, value: number | boolean | string, limit: number | boolean | string, passed: boolean) => {
    currentCheck = name;
    checks.push({ name, value, limit, passed });
    return passed;
  };

  const longestRun = frames.mismatch_runs[0]?.frames ?? 0;
  const exact = input.settings.mode.value === "exact";
  const different = input.differentPairs;
  const mismatch = shapeMismatch(input.shapes);
  // In exact mode, frames that differ in pixels but look alike everywhere are one finding (a re-encode), not
  // hundreds; frames that differ locally are listed with where and how much, whatever else differs.
  const triaged = exact && (different.alike > 0 || different.distinctRuns.length > 0);
  const runFailures = (minimum: number) => {
    if (exact && mismatch !== undefined) {
      fail("media_mismatch", `${mismatch}: no frame can be pixel-identical`, undefined, "normalize both sides to one profile with `recomp normalize`, or fix the capture's size and rate");
    }
    const listedRuns = triaged ? [...different.distinctRuns, ...frames.mismatch_runs.filter((r) => r.category !== "different")] : frames.mismatch_runs;
    for (const run of listedRuns.filter((r) => r.frames > minimum).slice(0, listed)) fail(runCategory[run.category], describeRun(run), run);
    if (triaged && different.alike > 0) {
      const local = different.distinctRuns.length === 0 ? "" : "; the frames listed as visual_mismatch differ locally and fail in perceptual mode too";
      const levels = toleratedLevels(t.frame_similarity_min.value);
      fail(
        "encoding_difference",
        `${different.alike} of ${frames.reference_frames} frames differ in pixels, but in no 10x10 region (at 320x180) by more than ${levels.detail} levels of brightness and in no 25x25 region by more than ${levels.colour} levels of one colour${local}`,
        undefined,
        encodingSuggestion(t.frame_similarity_min.value),
      );
    }
  };
  if (!check("frame_match_ratio", frames.match_ratio, t.frame_match_ratio.value, frames.match_ratio >= t.frame_match_ratio.value)) runFailures(0);
  if (!check("max_mismatch_run_frames", longestRun, t.max_mismatch_run_frames.value, longestRun <= t.max_mismatch_run_frames.value)) {
    runFailures(t.max_mismatch_run_frames.value);
  }
  if (!check("max_dropped_frames", frames.dropped.count, t.max_dropped_frames.value, frames.dropped.count <= t.max_dropped_frames.value)) {
    for (const d of frames.dropped.frames.slice(0, listed)) fail("dropped_frames", `reference frame ${d.reference_frame} (${d.time}) is missing from the capture`, { start: d.time, end: d.time });
  }
  if (!check("max_duplicated_frames", frames.duplicated.count, t.max_duplicated_frames.value, frames.duplicated.count <= t.max_duplicated_frames.value)) {
    for (const d of frames.duplicated.frames.slice(0, listed)) {
      fail("duplicated_frames", `capture frame ${d.capture_frame} (${d.capture_time}) is ${d.kind === "duplicated" ? "a repeat" : "an extra frame"}, shown at reference ${d.time}`, { start: d.time, end: d.time });
    }
  }
  if (!check("max_drift_frames", frames.drift.max_abs_frames, t.max_drift_frames.value, frames.drift.max_abs_frames <= t.max_drift_frames.value)) {
    for (const s of frames.drift.segments.filter((x) => Math.max(-x.min_frames, x.max_frames) > t.max_drift_frames.value).slice(0, listed)) {
      fail("drift", `drift reaches ${Math.max(-s.min_frames, s.max_frames)} frame(s) between ${s.start} and ${s.end}`, s);
    }
  }

  audioChecks(input, exact, { check, fail });
  eventChecks(input, { check, fail });
  return { checks, failures, passed: checks.every((c) => c.passed) };
}
