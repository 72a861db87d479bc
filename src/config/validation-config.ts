// config: validation_config.toml, which overrides the reference's [validation] field by field.
import { z } from "zod";

const ratio = z.number().min(0, "must lie in [0, 1]").max(1, "must lie in [0, 1]");
const count = z.number().int().nonnegative();

export const thresholdsSchema = z.strictObject({
  frame_match_ratio: ratio.optional(),
  audio_match_ratio: ratio.optional(),
  max_drift_frames: count.optional(),
  max_dropped_frames: count.optional(),
  max_audio_drift_chunks: count.optional(),
  /** recomp: largest allowed drift of a timeline event, in seconds. */
  event_drift_max_seconds: z.number().nonnegative().optional(),
});
export type Thresholds = z.infer<typeof thresholdsSchema>;

export const comparisonModes = ["exact", "perceptual"] as const;

export const validationConfigSchema = z.strictObject({
  schema_version: z.literal("1", { error: 'schema_version must be "1"' }).optional(),
  name: z.string().optional(),
  notes: z.string().optional(),
  require_audio: z.boolean().optional(),
  thresholds: thresholdsSchema.optional(),
  /** recomp: how frames are compared. */
  comparison: z.strictObject({ mode: z.enum(comparisonModes).optional() }).optional(),
});
export type ValidationConfig = z.infer<typeof validationConfigSchema>;
