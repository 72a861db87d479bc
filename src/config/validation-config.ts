// config: validation_config.toml, which overrides the reference's [validation] field by field.
import { z } from "zod";

const ratio = z.number().min(0, "must lie in [0, 1]").max(1, "must lie in [0, 1]");
const count = z.number().int().nonnegative();
const nonNegative = z.number().nonnegative("must be >= 0");

export const thresholdsSchema = z.strictObject({
  frame_match_ratio: ratio.optional().describe("Share of reference frames the capture must match, 0..1 (default 0.92)."),
  audio_match_ratio: ratio.optional().describe("Share of reference audio chunks the capture must match, 0..1 (default 0.9)."),
  max_drift_frames: count.optional().describe("Most frames a matched frame may sit away from its expected position (default 3)."),
  max_dropped_frames: count.optional().describe("Reference frames the capture may lack, in frames (default 0)."),
  max_audio_drift_chunks: count.optional().describe("Most audio chunks a matched chunk may sit away from its expected position (default 2)."),
  /** recomp: largest allowed drift of a timeline event, in seconds. */
  event_drift_max_seconds: nonNegative.optional().describe("Largest allowed drift of a timeline event from its observation, in seconds (default 0.1)."),
  /** recomp: frames shown twice (or inserted) that are allowed. */
  max_duplicated_frames: count.optional().describe("Frames shown twice (or inserted) that are allowed (default 0)."),
  /** recomp: longest allowed run of consecutive mismatched frames. */
  max_mismatch_run_frames: count.optional().describe("Longest allowed run of consecutive mismatched frames (default 2)."),
  /** recomp: perceptual mode: a frame matches when its similarity (block SSIM of 64x36 luma) reaches this. */
  frame_similarity_min: ratio.optional().describe("Perceptual mode: a frame matches when its block SSIM (64x36 luma) reaches this, 0..1 (default 0.9)."),
  /** recomp: perceptual mode: an audio window matches when its spectral similarity reaches this. */
  audio_similarity_min: ratio.optional().describe("Perceptual mode: an audio window matches when its spectral similarity reaches this, 0..1 (default 0.9)."),
  /** recomp: longest allowed audio dropout (silence where the reference has sound), in milliseconds. */
  max_audio_dropout_ms: nonNegative.optional().describe("Longest allowed audio dropout (silence where the reference has sound), in milliseconds (default 100)."),
});
export type Thresholds = z.infer<typeof thresholdsSchema>;

export const comparisonModes = ["exact", "perceptual"] as const;
export type ComparisonMode = (typeof comparisonModes)[number];

/** recomp: how frames and audio are compared. */
export const comparisonSchema = z.strictObject({
  mode: z.enum(comparisonModes).optional().describe("\"exact\" compares SHA-256 hashes of decoded frames and audio (the default); \"perceptual\" compares by similarity, for lossy footage."),
  /** How far (seconds) the audio cross-correlation searches around the picture's alignment. */
  max_audio_offset_seconds: z.number().positive("must be > 0").optional().describe("How far the audio cross-correlation searches around the picture's alignment, in seconds (default 2)."),
});
export type Comparison = z.infer<typeof comparisonSchema>;

export const validationConfigSchema = z.strictObject({
  schema_version: z.literal("1", { error: 'schema_version must be "1"' }).optional().describe("Format version of this file: \"1\" (optional)."),
  name: z.string().optional().describe("Name of this validation, shown in reports (default: the reference's, else \"validation\")."),
  notes: z.string().optional().describe("Free text kept with the validation."),
  require_audio: z.boolean().optional().describe("Fail when the capture or the reference has no audio hashes (default false)."),
  thresholds: thresholdsSchema.optional().describe("Pass limits, each overriding the reference's [validation.thresholds] value."),
  comparison: comparisonSchema.optional().describe("How frames and audio are compared, overriding the reference's [validation.comparison]."),
});
export type ValidationConfig = z.infer<typeof validationConfigSchema>;
