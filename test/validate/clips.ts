// Test media made with ffmpeg: 10 s testsrc2 at 160x90/30 fps with a stereo chirp, lossless (FFV1 + PCM in Matroska).
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export const fps = 30;
export const seconds = 10;
// A chirp with a slow tremolo on the left and a second chirp on the right: no two windows sound alike.
const audio = `aevalsrc=0.4*sin(2*PI*(220+60*t)*t)*(0.6+0.4*sin(2*PI*1.7*t))|0.4*sin(2*PI*(330+40*t)*t):s=48000:d=${seconds}`;

export function ffmpeg(...args: string[]): void {
  execFileSync("ffmpeg", ["-nostdin", "-v", "error", "-y", ...args], { stdio: ["ignore", "ignore", "inherit"] });
}

export function ffmpegText(...args: string[]): string {
  return execFileSync("ffmpeg", ["-nostdin", "-v", "error", ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
}

/** The reference clip. */
export function makeReference(dir: string, name = "reference.mkv"): string {
  const file = join(dir, name);
  ffmpeg("-f", "lavfi", "-i", `testsrc2=s=160x90:r=${fps}:d=${seconds}`, "-f", "lavfi", "-i", audio, "-c:v", "ffv1", "-c:a", "pcm_s16le", file);
  return file;
}

/** A variant of `source`: `video` is a -filter_complex graph from [0:v] to [v]; `audio` an -af chain. */
export function makeVariant(source: string, file: string, edit: { video?: string; audio?: string; codec?: string[] }): string {
  const videoArgs = edit.video === undefined ? ["-map", "0:v"] : ["-filter_complex", edit.video, "-map", "[v]"];
  const audioArgs = edit.audio === undefined ? ["-map", "0:a"] : ["-map", "0:a", "-af", edit.audio];
  ffmpeg("-i", source, ...videoArgs, ...audioArgs, ...(edit.codec ?? ["-c:v", "ffv1", "-c:a", "pcm_s16le"]), file);
  return file;
}

export interface SideToml {
  file: string;
  frames: string;
  audio?: string;
  format?: "list" | "file";
  extra?: string;
}

/** A reference_video.toml / capture_video.toml in the prior-art layout. */
export function writeVideoToml(path: string, side: SideToml): string {
  const format = side.format ?? "list";
  const lines = [
    'schema_version = "1"',
    "[video]",
    `path = "${side.file}"`,
    "width = 160",
    "height = 90",
    `fps = ${fps}`,
    "[hashes.frames]",
    `format = "${format}"`,
    `path = "${side.frames}"`,
  ];
  if (side.audio !== undefined) lines.push("[hashes.audio]", `format = "${format}"`, `path = "${side.audio}"`);
  writeFileSync(path, `${lines.join("\n")}\n${side.extra ?? ""}`);
  return path;
}
