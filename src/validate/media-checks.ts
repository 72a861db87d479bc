// validate: what ffprobe finds in the media files against what the TOML files declare (mismatches are findings, not crashes).
import { existsSync } from "node:fs";
import { parseTimecode } from "../config/timecode.js";
import type { ValidationReport } from "../config/validation-report.js";
import type { CaptureVideo, ReferenceVideo } from "../config/video.js";
import { formatRational, probeMediaCached, rationalValue, type AudioProfile, type FfmpegOptions } from "../media/index.js";
import { asRecompErrors } from "../util/errors.js";
import { resolveIn } from "./sides.js";

type MediaCheck = ValidationReport["media"][number];

export interface MediaCheckResult {
  checks: MediaCheck[];
  warnings: string[];
  /** What ffprobe reported as its version, when it ran. */
  toolVersions: string[];
}

export interface MediaSide {
  side: "reference" | "capture";
  toml: ReferenceVideo | CaptureVideo;
  dir: string;
  audioProfile: AudioProfile;
  /** Whether this side's audio is part of the comparison (then its rate and channels are checked). */
  checkAudio: boolean;
}

function timelineEnd(toml: ReferenceVideo | CaptureVideo): number | undefined {
  const timeline = "timeline" in toml ? toml.timeline : undefined;
  return timeline === undefined ? undefined : parseTimecode(timeline.end);
}

/** Probes each side's [video] path (when present) and compares what it holds with what the TOML declares. */
export async function checkMedia(sides: readonly MediaSide[], options: FfmpegOptions): Promise<MediaCheckResult> {
  const results = await Promise.all(sides.map((side) => checkSide(side, options)));
  return {
    checks: results.flatMap((r) => r.checks),
    warnings: results.flatMap((r) => r.warnings),
    toolVersions: [...new Set(results.flatMap((r) => r.toolVersions))].sort(),
  };
}

async function checkSide({ side, toml, dir, audioProfile, checkAudio }: MediaSide, options: FfmpegOptions): Promise<MediaCheckResult> {
  const checks: MediaCheck[] = [];
  const file = resolveIn(dir, toml.video.path);
  if (!existsSync(file)) {
    return { checks, warnings: [`${side} video ${toml.video.path} is not present here: its resolution, frame rate and duration were not checked`], toolVersions: [] };
  }
  let info;
  try {
    info = await probeMediaCached(file, options);
  } catch (error) {
    const problems = asRecompErrors(error);
    if (problems.length === 0) throw error;
    // Reports name files as their TOML does: no absolute path of this machine enters a report.
    const reasons = problems.map((p) => p.message.split(file).join(toml.video.path).replace(/\s*\n\s*/g, " ").trim());
    return { checks, warnings: [`${side} video ${toml.video.path} could not be probed: ${reasons.join("; ")}`], toolVersions: [] };
  }
  const add = (check: string, declared: string, actual: string, ok: boolean) => checks.push({ side, check, declared, actual, ok });
  const video = info.video;
  if (video === undefined) {
    add("video_stream", "present", "absent", false);
  } else {
    add("resolution", `${toml.video.width}x${toml.video.height}`, `${video.width}x${video.height}`, video.width === toml.video.width && video.height === toml.video.height);
    add("frame_rate", String(toml.video.fps), formatRational(video.frameRate), Math.abs(rationalValue(video.frameRate) - toml.video.fps) < 0.01);
    add("pixel_format", "any", video.pixelFormat, true);
  }
  const end = timelineEnd(toml);
  if (end !== undefined && info.durationSeconds !== undefined) {
    add("duration", `>= ${end} s (timeline end)`, `${info.durationSeconds} s`, info.durationSeconds + 0.5 / toml.video.fps >= end);
  }
  if (checkAudio) {
    const audio = info.audio;
    if (audio === undefined) add("audio_stream", "present", "absent", false);
    else {
      add("audio_sample_rate", String(audioProfile.sampleRate), String(audio.sampleRate), audio.sampleRate === audioProfile.sampleRate);
      add("audio_channels", String(audioProfile.channels), String(audio.channels), audio.channels === audioProfile.channels);
    }
  }
  return { checks, warnings: [], toolVersions: [info.toolVersion] };
}
