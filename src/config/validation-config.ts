// config: validation_config.toml, which overrides the reference's [validation] field by field.
import { z } from "zod";

const ratio = z.number().min(0, "must lie in [0, 1]").max(1, "must lie in [0, 1]");
const count = z.number().int().nonnegative();
const nonNegative = z.number().nonnegative("must be >= 0");

export const thresholdsSchema = z.strictObject({
  frame_match_ratio: ratio.optional(),
  audio_match_ratio: ratio.optional(),
  max_drift_frames: count.optional(),
  max_dropped_frames: count.optional(),
  max_audio_drift_chunks: count.optional(),
  /** recomp: largest allowed drift of a timeline event, in seconds. */
  event_drift_max_seconds: nonNegative.optional(),
  /** recomp: frames shown twice (or inserted) that are allowed. */
  max_duplicated_frames: count.optional(),
  /** recomp: longest allowed run of consecutive mismatched frames. */
  max_mismatch_run_frames: count.optional(),
  /** recomp: perceptual mode: a frame matches when its similarity (block SSIM of 64x36 luma) reaches this. */
  frame_similarity_min: ratio.optional(),
  /** recomp: perceptual mode: an audio window matches when its spectral similarity reaches this. */
  audio_similarity_min: ratio.optional(),
  /** recomp: longest allowed audio dropout (silence where the reference has sound), in milliseconds. */
  max_audio_dropout_ms: nonNegative.optional(),
});
export type Thresholds = z.infer<typeof thresholdsSchema>;

export const comparisonModes = ["exact", "perceptual"] as const;
export type ComparisonMode = (typeof comparisonModes)[number];

/** recomp: how frames and audio are compared. */
export const comparisonSchema = z.strictObject({
  mode: z.enum(comparisonModes).optional(),
  /** How far (seconds) the audio cross-correlation searches around the picture's alignment. */
  max_audio_offset_seconds: z.number().positive("must be > 0").optional(),
});
export type Comparison = z.infer<typeof comparisonSchema>;

export const validationConfigSchema = z.strictObject({
  schema_version: z.literal("1", { error: 'schema_version must be "1"' }).optional(),
  name: z.string().optional(),
  notes: z.string().optional(),
  require_audio: z.boolean().optional(),
  thresholds: thresholdsSchema.optional(),
  comparison: comparisonSchema.optional(),
});
export type ValidationConfig = z.infer<typeof validationConfigSchema>;
