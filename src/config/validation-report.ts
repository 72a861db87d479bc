// config: validation-report.json, the deterministic verdict of `recomp validate` (no wall-clock fields; lists sorted).
import { z } from "zod";

const timecodeText = z.string().regex(/^\d{2,}:\d{2}:\d{2}\.\d{3}$/);
const time = (what: string) => timecodeText.describe(`${what}, as HH:MM:SS.mmm`);
const source = z.enum(["validation_config", "reference", "default"]).describe("where the value came from: validation_config.toml, reference_video.toml, or recomp's default");
const count = (what: string) => z.number().int().describe(what);

const setting = <T extends z.ZodType>(value: T, what: string) => z.strictObject({ value: value.describe("the value used"), source }).describe(what);

const fileRef = z.strictObject({
  /** Path relative to the report folder, with `/`. */
  path: z.string().describe("the file, relative to the report folder, with /"),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).describe("SHA-256 of the file, lowercase hex"),
});

const frameRange = z.strictObject({
  start_frame: count("the first frame of the range"),
  end_frame: count("the last frame of the range (inclusive)"),
  start: time("where it starts"),
  end: time("where it ends (the end of its last frame)"),
  frames: z.number().int().nonnegative().describe("how many frames it holds"),
});

const audioRange = z.strictObject({ start: time("its start"), end: time("its end"), duration_ms: z.number().describe("its length, in ms") });

const similarityStats = z
  .strictObject({
    min: z.number().describe("the lowest similarity (0 to 1)"),
    p5: z.number().describe("the 5th percentile"),
    mean: z.number().describe("the mean"),
  })
  .describe("perceptual similarity over the paired frames or windows (1 = the same)");

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
  schema_version: z.literal("1").describe("the report format's version"),
  name: z.string().describe("the title or comparison's name (reference_video.toml)"),
  verdict: z.enum(["pass", "fail"]).describe("pass when every check passed (exit 0), else fail (exit 1)"),
  mode: setting(z.enum(["exact", "perceptual"]), "exact: frames and audio windows compared by hash; perceptual: by similarity"),
  require_audio: setting(z.boolean(), "whether a missing or mismatched audio track fails validation"),
  tools: z
    .strictObject({
      recomp: z.string().describe("recomp's version"),
      ffmpeg: z.string().optional().describe("the version line of the ffmpeg that decoded the media, when one ran"),
    })
    .describe("the tools that made the verdict"),
  inputs: z
    .strictObject({
      reference: fileRef.describe("reference_video.toml"),
      capture: fileRef.describe("capture_video.toml"),
      validation_config: fileRef.optional().describe("validation_config.toml, when given"),
    })
    .describe("the files compared, with their hashes"),
  thresholds: z.record(z.string(), setting(z.number(), "a threshold: its value and where it came from")).describe("every threshold by name (docs/validation.md lists their meanings and defaults)"),
  checks: z
    .array(
      z.strictObject({
        name: z.string().describe("the check, e.g. match_ratio or max_drift_frames"),
        passed: z.boolean().describe("whether it passed"),
        value: z.union([z.number(), z.string(), z.boolean()]).describe("the measured value"),
        limit: z.union([z.number(), z.string(), z.boolean()]).describe("the limit it was held to"),
      }),
    )
    .describe("every check made, in a fixed order"),
  failures: z
    .array(
      z.strictObject({
        category: z.enum(failureCategories).describe("what kind of failure"),
        check: z.string().optional().describe("name of the failed check this finding explains"),
        message: z.string().describe("what failed, in words"),
        suggestion: z.string().describe("what to look at or change"),
        /** Where, as a reference-timeline timecode range, when the failure has one. */
        start: time("where it starts on the reference timeline, when it has a place").optional(),
        end: time("where it ends on the reference timeline").optional(),
      }),
    )
    .describe("the findings that explain a fail verdict; empty on pass"),
  warnings: z.array(z.string()).describe("things worth knowing that did not fail validation (e.g. a media check's difference)"),
  frames: z
    .strictObject({
      reference_fps: z.number().describe("the reference's frame rate, in frames per second"),
      capture_fps: z.number().describe("the capture's frame rate, in frames per second"),
      reference_window: frameRange.describe("the reference frames compared ([timeline] start..end)"),
      capture_span: frameRange.optional().describe("the capture frames the alignment paired with the window"),
      offset_frames: count("the starting offset: the capture frame paired with the window's first reference frame, minus that frame's number"),
      band_frames: count("how far the alignment may stray from the starting offset, in frames (max_drift_frames + 1)"),
      reference_frames: count("frames in the reference window"),
      capture_frames: count("frames in the capture"),
      matched_frames: count("reference frames paired with a capture frame that matches"),
      match_ratio: z.number().describe("matched_frames / reference_frames (0 to 1)"),
      dropped: z
        .strictObject({
          count: count("how many"),
          frames: z
            .array(z.strictObject({ reference_frame: count("the reference frame no capture frame showed"), time: time("its time") }))
            .describe("the dropped frames"),
        })
        .describe("reference frames the capture skipped"),
      duplicated: z
        .strictObject({
          count: count("how many"),
          frames: z
            .array(
              z.strictObject({
                capture_frame: count("the extra capture frame"),
                capture_time: time("its time in the capture"),
                /** Reference time at which the extra frame is shown. */
                time: time("the reference time at which it is shown"),
                kind: z.enum(["duplicated", "inserted"]).describe("duplicated: it repeats a neighbour; inserted: it does not"),
              }),
            )
            .describe("the extra frames"),
        })
        .describe("capture frames paired with no reference frame"),
      mismatch_runs: z
        .array(
          frameRange.extend({
            category: z.enum(mismatchCategories).describe("what the run is: dropped, missing_material, freeze, black or different"),
            mean_similarity: z.number().optional().describe("mean similarity over the run (perceptual mode)"),
            worst_region: worstRegion.optional(),
          }),
        )
        .describe("consecutive mismatching reference frames, longest first"),
      drift: z
        .strictObject({
          max_abs_frames: count("the largest drift seen, in frames"),
          segments: z
            .array(
              z.strictObject({
                start: time("the segment's start"),
                end: time("its end"),
                min_frames: count("the smallest drift in it, in frames"),
                max_frames: count("the largest drift in it, in frames"),
                mean_frames: z.number().describe("the mean drift, in frames"),
              }),
            )
            .describe("one-second segments of the reference window"),
        })
        .describe("capture position minus the position the starting offset predicts"),
      similarity: similarityStats.optional(),
    })
    .describe("the picture: alignment and comparison"),
  audio: z
    .strictObject({
      status: z
        .enum(["compared", "not_configured", "missing_reference", "missing_capture", "profile_mismatch"])
        .describe("whether audio was compared, or why not"),
      sample_rate: z.number().int().optional().describe("the sample rate compared, in Hz"),
      channels: z.number().int().optional().describe("the channel count"),
      reference_windows: z.number().int().optional().describe("1024-sample windows in the reference window"),
      matched_windows: z.number().int().optional().describe("those that matched at the offset"),
      match_ratio: z.number().optional().describe("matched_windows / reference_windows (0 to 1)"),
      /** Capture audio minus where the picture alignment puts it (positive: audio late). */
      offset_ms: z.number().optional().describe("capture audio minus where the picture alignment puts it, in ms (positive: audio late)"),
      offset_windows: z.number().optional().describe("the same offset in 1024-sample windows"),
      correlation: z.number().optional().describe("the peak of the normalised cross-correlation that found the offset (up to 1)"),
      similarity: similarityStats.optional(),
      dropouts: z
        .array(audioRange)
        .describe("capture runs below -60 dBFS where the reference is above -45 dBFS"),
      silent_ranges: z
        .array(audioRange)
        .describe("capture silences of 500 ms or more"),
    })
    .describe("the sound: offset and comparison"),
  events: z
    .array(
      z.strictObject({
        name: z.string().describe("the event's name ([[timeline.events]])"),
        reference_time: time("its time on the reference timeline"),
        expected_capture_time: time("where the starting offset puts it in the capture").optional(),
        observed_capture_time: time("where it was seen in the capture").optional(),
        source: z.enum(["alignment", "observation", "not_found", "outside_window"]).describe("how it was observed: by the alignment, by an [[observations]] entry, not at all, or outside the window"),
        drift_seconds: z.number().optional().describe("observed - expected, in seconds"),
        passed: z.boolean().describe("whether its drift is within event_drift_max_seconds"),
      }),
    )
    .describe("every timeline event, in order"),
  media: z
    .array(
      z.strictObject({
        side: z.enum(["reference", "capture"]).describe("which file"),
        check: z.string().describe("what was checked (resolution, frame rate, pixel format, duration, audio rate, channels)"),
        declared: z.string().describe("what the TOML declares"),
        actual: z.string().describe("what ffprobe found"),
        ok: z.boolean().describe("whether they agree (a difference is a warning)"),
      }),
    )
    .describe("ffprobe's view of the media files against what their TOML declares"),
});
export type ValidationReport = z.infer<typeof validationReportSchema>;
export type FailureCategory = (typeof failureCategories)[number];
export type MismatchCategory = (typeof mismatchCategories)[number];
