// config: reference_video.toml and capture_video.toml (prior-art formats, read unchanged).
import { z } from "zod";
import { pathString, timecode } from "./common.js";
import { comparisonSchema, thresholdsSchema } from "./validation-config.js";

export const hashListFormats = ["list", "directory", "file"] as const;

export const hashSourceSchema = z.strictObject({
  format: z.enum(hashListFormats).describe("\"list\" (a text file of \"<index> <sha256>\" lines), \"directory\" (one hash file per frame) or \"file\" (one hash)."),
  path: pathString.describe("The hash list (or folder); relative to the folder of this file. The hash stages write it for a capture."),
});
export type HashSource = z.infer<typeof hashSourceSchema>;

const hashes = z.strictObject({
  frames: hashSourceSchema.describe("Where the frames' hashes are. Required."),
  audio: hashSourceSchema.optional().describe("Where the audio's hashes are (needed when audio is compared)."),
});

const video = z.strictObject({
  path: pathString.describe("The video file; relative to the folder of this file. Required."),
  width: z.number().int().positive().describe("Frame width in pixels. Required."),
  height: z.number().int().positive().describe("Frame height in pixels. Required."),
  fps: z.number().positive().describe("Frames per second. Required."),
  /**
   * recomp: who encoded this footage when it is lossy (ffmpeg version; x264 core; the CPU features
   * x264 used). The same frames give the same bytes only under the same identity.
   */
  encoder: z.string().min(1).optional().describe("Identity of the lossy encoder that made this footage: ffmpeg version, x264 core and the CPU features x264 used. Bytes reproduce only where it is the same."),
});

const normalization = z.strictObject({
  source_path: pathString.optional().describe("The footage as recorded (input of `recomp normalize`); relative to the folder of this file."),
  normalized_path: pathString.optional().describe("Where `recomp normalize` writes the normalized footage; relative to the folder of this file."),
  notes: z.string().optional().describe("Free text about the normalization."),
  profile: z
    .strictObject({
      width: z.number().int().positive().describe("Normalized frame width in pixels."),
      height: z.number().int().positive().describe("Normalized frame height in pixels."),
      fps: z.number().positive().describe("Normalized frames per second."),
      audio_sample_rate: z.number().int().positive().describe("Normalized audio sample rate in Hz."),
      audio_channels: z.number().int().positive().describe("Normalized audio channel count."),
    })
    .optional()
    .describe("The picture and sound profile footage is normalized to."),
});

const timeline = z.strictObject({
  start: timecode.describe("Where the compared window starts in the footage: \"HH:MM:SS.mmm\", \"MM:SS\" or seconds. Required."),
  end: timecode.describe("Where the compared window ends: \"HH:MM:SS.mmm\", \"MM:SS\" or seconds. Required."),
  events: z.array(z.strictObject({ name: z.string().min(1).describe("The event's name (a capture observation of the same name is compared with it)."), time: timecode.describe('When it happens in the footage: "HH:MM:SS.mmm", "MM:SS" or seconds.') })).optional().describe("Named moments the capture must show near the same time (see event_drift_max_seconds)."),
});

const referenceValidation = z.strictObject({
  name: z.string().optional().describe("Name of this validation, shown in reports (validation_config.toml overrides it)."),
  notes: z.string().optional().describe("Free text kept with the validation."),
  require_audio: z.boolean().optional().describe("Fail when audio hashes are missing (default false)."),
  thresholds: thresholdsSchema.optional().describe("Pass limits of this footage (validation_config.toml overrides each)."),
  /** recomp: the comparison mode this footage needs (validation_config.toml overrides it). */
  comparison: comparisonSchema.optional().describe("The comparison mode this footage needs (validation_config.toml overrides it)."),
});

/** recomp: the PCM profile audio is decoded at for hashing (default: [normalization.profile], else 48000 Hz stereo). */
const audio = z.strictObject({
  sample_rate: z.number().int().positive().describe("Sample rate audio is decoded at for hashing, in Hz (default: [normalization.profile], else 48000)."),
  channels: z.number().int().positive().max(8).describe("Channel count audio is decoded at for hashing, 1..8 (default: [normalization.profile], else 2)."),
});

/** recomp: an event seen in the capture (e.g. logged by the runtime), in capture time. */
const observation = z.strictObject({
  name: z.string().min(1).describe("The event's name (matches a [[timeline.events]] name of the reference)."),
  time: timecode.describe('When it was seen, in capture time: "HH:MM:SS.mmm", "MM:SS" or seconds.'),
});

const schemaVersion = z.literal("1", { error: 'schema_version must be "1"' });

export const referenceVideoSchema = z.strictObject({
  schema_version: schemaVersion.optional().describe("Format version of this file: \"1\" (optional)."),
  video: video.describe("The footage itself."),
  audio: audio.optional().describe("The PCM profile audio is decoded at for hashing."),
  normalization: normalization.optional().describe("How the footage was (or is to be) normalized by `recomp normalize`."),
  timeline: timeline.optional().describe("The compared window of the footage and its events."),
  hashes: hashes.describe("The frame and audio hash lists."),
  validation: referenceValidation.optional().describe("How this footage is validated: name, thresholds, comparison."),
  /** Early prior-art files put the thresholds at the top level; read as [validation.thresholds]. */
  thresholds: thresholdsSchema.optional().describe("Early prior-art placement of [validation.thresholds]; read as that (give only one of them)."),
});
export type ReferenceVideo = z.infer<typeof referenceVideoSchema>;

export const captureVideoSchema = z.strictObject({
  schema_version: schemaVersion.optional().describe("Format version of this file: \"1\" (optional)."),
  video: video.describe("The capture video."),
  audio: audio.optional().describe("The PCM profile audio is decoded at for hashing."),
  hashes: hashes.describe("Where the hash stages write the capture's frame and audio hash lists."),
  observations: z.array(observation).optional().describe("Events seen in the capture (e.g. logged by the runtime), in capture time."),
});
export type CaptureVideo = z.infer<typeof captureVideoSchema>;
