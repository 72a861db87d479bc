// validate: the hash_frames and hash_audio stages: hash the capture into the lists its capture_video.toml names.
import { loadTomlFile } from "../config/toml.js";
import { captureVideoSchema, referenceVideoSchema } from "../config/video.js";
import { writeAudioHashes, writeFrameHashes, type FfmpegOptions } from "../media/index.js";
import { RecompError } from "../util/errors.js";
import { captureAudioProfile, resolveIn } from "./sides.js";

export interface HashStageOptions extends FfmpegOptions {
  captureVideoToml: string;
  /** Frames: the capture's frames folder (PNG/PPM) or its video. Audio: the capture's audio file (or video). */
  input: string;
}

async function captureHashTarget(captureVideoToml: string, key: "frames" | "audio") {
  const capture = await loadTomlFile(captureVideoToml, captureVideoSchema, "capture video TOML");
  const source = capture.data.hashes[key];
  if (source === undefined || source.format !== "list") {
    throw new RecompError({
      code: "config_invalid",
      message: source === undefined ? `no [hashes.${key}] to write to` : `[hashes.${key}] format is "${source.format}"; the hash_${key} stage writes a list`,
      location: { file: captureVideoToml, keyPath: `hashes.${key}` },
      hint: `set [hashes.${key}] format = "list" and a path`,
    });
  }
  return { capture, hashList: resolveIn(capture.dir, source.path) };
}

/** hash_frames: writes `[hashes.frames]` path and its `.features` file; returns both paths. */
export async function hashCaptureFrames(options: HashStageOptions): Promise<string[]> {
  const { hashList } = await captureHashTarget(options.captureVideoToml, "frames");
  return writeFrameHashes({ ...options, hashList });
}

/**
 * hash_audio: writes `[hashes.audio]` path and its `.features` file at the capture's [audio] profile,
 * else the reference's (pass referenceVideoToml), else 48000 Hz stereo.
 */
export async function hashCaptureAudio(options: HashStageOptions & { referenceVideoToml?: string | undefined }): Promise<string[]> {
  const { capture, hashList } = await captureHashTarget(options.captureVideoToml, "audio");
  const reference = options.referenceVideoToml === undefined ? undefined : await loadTomlFile(options.referenceVideoToml, referenceVideoSchema, "reference video TOML");
  const profile = captureAudioProfile(reference?.data, capture.data);
  return writeAudioHashes({ ...options, hashList, profile });
}
