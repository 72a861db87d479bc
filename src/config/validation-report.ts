// config: validation-report.json, the deterministic verdict of `recomp validate` (no wall-clock fields; lists sorted).
import { z } from "zod";

const timecodeText = z.string().regex(/^\d{2,}:\d{2}:\d{2}\.\d{3}$/);
const source = z.enum(["validation_config", "reference", "default"]);

const setting = <T extends z.ZodType>(value: T) => z.strictObject({ value, source });

const fileRef = z.strictObject({
  /** Path relative to the report folder, with `/`. */
  path: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

const frameRange = z.strictObject({
  start_frame: z.number().int(),
  end_frame: z.number().int(),
  start: timecodeText,
  end: timecodeText,
  frames: z.number().int().nonnegative(),
});

const similarityStats = z.strictObject({ min: z.number(), p5: z.number(), mean: z.number() });

const worstRegion = z
  .strictObject({
    reference_frame: z.number().int().describe("reference frame of the run with the largest local difference"),
    capture_frame: z.number().int().describe("capture frame paired with it"),
    x: z.number().int().describe("left edge of the worst region, in reference pixels"),
    y: z.number().int().describe("top edge of the worst region, in reference pixels"),
    width: z.number().int().describe("width of the worst region, in reference pixels"),
    height: z.number().int().describe("height of the worst region, in reference pixels"),
    channel: z.enum(["luma", "red", "green", "blue"]).describe("luma (a 10x10-at-320x180 detail window) or the RGB channel (a 25x25-at-320x180 colour window) that differs most"),
    difference: z.number().describe("mean difference over the region, 8-bit RGB levels"),
    tolerance: z.number().describe("levels of that difference excused as 4:2:0 chroma error at colour edges (colour windows; 0 for luma)"),
  })
  .describe("where a run of frames differs most: the window of its least similar frame");

export const failureCategories = [
  "missing_material",
  "dropped_frames",
  "duplicated_frames",
  "freeze",
  "black_frames",
  "visual_mismatch",
  "encoding_difference",
  "drift",
  "audio_missing",
  "audio_offset",
  "audio_dropout",
  "audio_mismatch",
  "event_drift",
  "media_mismatch",
] as const;

export const mismatchCategories = ["dropped", "missing_material", "freeze", "black", "different"] as const;

export const validationReportSchema = z.strictObject({
  schema_version: z.literal("1"),
  name: z.string(),
  verdict: z.enum(["pass", "fail"]),
  mode: setting(z.enum(["exact", "perceptual"])),
  require_audio: setting(z.boolean()),
  tools: z.strictObject({ recomp: z.string(), ffmpeg: z.string().optional() }),
  inputs: z.strictObject({
    reference: fileRef,
    capture: fileRef,
    validation_config: fileRef.optional(),
  }),
  thresholds: z.record(z.string(), setting(z.number())),
  checks: z.array(
    z.strictObject({
      name: z.string(),
      passed: z.boolean(),
      value: z.union([z.number(), z.string(), z.boolean()]),
      limit: z.union([z.number(), z.string(), z.boolean()]),
    }),
  ),
  failures: z.array(
    z.strictObject({
      category: z.enum(failureCategories),
      check: z.string().optional().describe("name of the failed check this finding explains"),
      message: z.string(),
      suggestion: z.string(),
      /** Where, as a reference-timeline timecode range, when the failure has one. */
      start: timecodeText.optional(),
      end: timecodeText.optional(),
    }),
  ),
  warnings: z.array(z.string()),
  frames: z.strictObject({
    reference_fps: z.number(),
    capture_fps: z.number(),
    reference_window: frameRange,
    capture_span: frameRange.optional(),
    offset_frames: z.number().int(),
    band_frames: z.number().int(),
    reference_frames: z.number().int(),
    capture_frames: z.number().int(),
    matched_frames: z.number().int(),
    match_ratio: z.number(),
    dropped: z.strictObject({
      count: z.number().int(),
      frames: z.array(z.strictObject({ reference_frame: z.number().int(), time: timecodeText })),
    }),
    duplicated: z.strictObject({
      count: z.number().int(),
      frames: z.array(
        z.strictObject({
          capture_frame: z.number().int(),
          capture_time: timecodeText,
          /** Reference time at which the extra frame is shown. */
          time: timecodeText,
          kind: z.enum(["duplicated", "inserted"]),
        }),
      ),
    }),
    mismatch_runs: z.array(frameRange.extend({ category: z.enum(mismatchCategories), mean_similarity: z.number().optional(), worst_region: worstRegion.optional() })),
    drift: z.strictObject({
      max_abs_frames: z.number().int(),
      segments: z.array(
        z.strictObject({
          start: timecodeText,
          end: timecodeText,
          min_frames: z.number().int(),
          max_frames: z.number().int(),
          mean_frames: z.number(),
        }),
      ),
    }),
    similarity: similarityStats.optional(),
  }),
  audio: z.strictObject({
    status: z.enum(["compared", "not_configured", "missing_reference", "missing_capture", "profile_mismatch"]),
    sample_rate: z.number().int().optional(),
    channels: z.number().int().optional(),
    reference_windows: z.number().int().optional(),
    matched_windows: z.number().int().optional(),
    match_ratio: z.number().optional(),
    /** Capture audio minus where the picture alignment puts it (positive: audio late). */
    offset_ms: z.number().optional(),
    offset_windows: z.number().optional(),
    correlation: z.number().optional(),
    similarity: similarityStats.optional(),
    dropouts: z.array(z.strictObject({ start: timecodeText, end: timecodeText, duration_ms: z.number() })),
    silent_ranges: z.array(z.strictObject({ start: timecodeText, end: timecodeText, duration_ms: z.number() })),
  }),
  events: z.array(
    z.strictObject({
      name: z.string(),
      reference_time: timecodeText,
      expected_capture_time: timecodeText.optional(),
      observed_capture_time: timecodeText.optional(),
      source: z.enum(["alignment", "observation", "not_found", "outside_window"]),
      drift_seconds: z.number().optional(),
      passed: z.boolean(),
    }),
  ),
  media: z.array(
    z.strictObject({
      side: z.enum(["reference", "capture"]),
      check: z.string(),
      declared: z.string(),
      actual: z.string(),
      ok: z.boolean(),
    }),
  ),
});
export type ValidationReport = z.infer<typeof validationReportSchema>;
export type FailureCategory = (typeof failureCategories)[number];
export type MismatchCategory = (typeof mismatchCategories)[number];
