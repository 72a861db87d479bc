// config: reference_video.toml and capture_video.toml (prior-art formats, read unchanged).
import { z } from "zod";
import { pathString, timecode } from "./common.js";
import { comparisonSchema, thresholdsSchema } from "./validation-config.js";

export const hashListFormats = ["list", "directory", "file"] as const;

export const hashSourceSchema = z.strictObject({
  format: z.enum(hashListFormats),
  path: pathString,
});
export type HashSource = z.infer<typeof hashSourceSchema>;

const hashes = z.strictObject({
  frames: hashSourceSchema,
  audio: hashSourceSchema.optional(),
});

const video = z.strictObject({
  path: pathString,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  fps: z.number().positive(),
  /**
   * recomp: who encoded this footage when it is lossy (ffmpeg version; x264 core; the CPU features
   * x264 used). The same frames give the same bytes only under the same identity.
   */
  encoder: z.string().min(1).optional().describe("Identity of the lossy encoder that made this footage: ffmpeg version, x264 core and the CPU features x264 used. Bytes reproduce only where it is the same."),
});

const normalization = z.strictObject({
  source_path: pathString.optional(),
  normalized_path: pathString.optional(),
  notes: z.string().optional(),
  profile: z
    .strictObject({
      width: z.number().int().positive(),
      height: z.number().int().positive(),
      fps: z.number().positive(),
      audio_sample_rate: z.number().int().positive(),
      audio_channels: z.number().int().positive(),
    })
    .optional(),
});

const timeline = z.strictObject({
  start: timecode,
  end: timecode,
  events: z.array(z.strictObject({ name: z.string().min(1), time: timecode })).optional(),
});

const referenceValidation = z.strictObject({
  name: z.string().optional(),
  notes: z.string().optional(),
  require_audio: z.boolean().optional(),
  thresholds: thresholdsSchema.optional(),
  /** recomp: the comparison mode this footage needs (validation_config.toml overrides it). */
  comparison: comparisonSchema.optional(),
});

/** recomp: the PCM profile audio is decoded at for hashing (default: [normalization.profile], else 48000 Hz stereo). */
const audio = z.strictObject({
  sample_rate: z.number().int().positive(),
  channels: z.number().int().positive().max(8),
});

/** recomp: an event seen in the capture (e.g. logged by the runtime), in capture time. */
const observation = z.strictObject({ name: z.string().min(1), time: timecode });

const schemaVersion = z.literal("1", { error: 'schema_version must be "1"' });

export const referenceVideoSchema = z.strictObject({
  schema_version: schemaVersion.optional(),
  video,
  audio: audio.optional(),
  normalization: normalization.optional(),
  timeline: timeline.optional(),
  hashes,
  validation: referenceValidation.optional(),
  /** Early prior-art files put the thresholds at the top level; read as [validation.thresholds]. */
  thresholds: thresholdsSchema.optional(),
});
export type ReferenceVideo = z.infer<typeof referenceVideoSchema>;

export const captureVideoSchema = z.strictObject({
  schema_version: schemaVersion.optional(),
  video,
  audio: audio.optional(),
  hashes,
  observations: z.array(observation).optional(),
});
export type CaptureVideo = z.infer<typeof captureVideoSchema>;
