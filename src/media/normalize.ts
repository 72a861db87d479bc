/**
 * media: `normalize`: one deterministic ffmpeg filter chain that turns a recording into the canonical
 * profile (aspect-preserving scale + pad, constant frame rate, timeline trim, PCM audio), written as
 * lossless FFV1 + s16le PCM in Matroska with bit-exact muxing, so the same input gives the same bytes.
 */
import { rename, rm } from "node:fs/promises";
import { extname } from "node:path";
import { writeFileAtomic } from "../util/atomic-write.js";
import { canonicalJsonPretty } from "../util/canonical-json.js";
import { RecompError } from "../util/errors.js";
import { ffmpegBinary, ffmpegVersion, isMissing, quietArgs, toolFailed, toolMissing, type FfmpegOptions } from "./ffmpeg-tool.js";
import { probeMedia } from "./probe.js";

export interface NormalizeProfile {
  width: number;
  height: number;
  fps: number;
  audioSampleRate: number;
  audioChannels: number;
}

export interface NormalizeOptions extends FfmpegOptions {
  input: string;
  /** A .mkv path. */
  output: string;
  profile: NormalizeProfile;
  /** Timeline trim, seconds. */
  start?: number | undefined;
  end?: number | undefined;
}

export interface NormalizeResult {
  output: string;
  /** `<output>.normalize.json`: ffmpeg version and the full command. */
  record: string;
  ffmpegVersion: string;
  command: string[];
}

function trimArgs(start: number | undefined, end: number | undefined): string {
  const parts = [start === undefined ? undefined : `start=${start}`, end === undefined ? undefined : `end=${end}`].filter((p) => p !== undefined);
  return parts.join(":");
}

export function normalizeCommand(options: NormalizeOptions, hasAudio: boolean): string[] {
  const { width, height, fps, audioSampleRate, audioChannels } = options.profile;
  const trim = trimArgs(options.start, options.end);
  const video = [
    ...(trim === "" ? [] : [`trim=${trim}`, "setpts=PTS-STARTPTS"]),
    `fps=${fps}`,
    `scale=${width}:${height}:force_original_aspect_ratio=decrease:flags=bicubic`,
    `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2:color=black`,
    "setsar=1",
    "format=yuv420p",
  ].join(",");
  const audio = [
    ...(trim === "" ? [] : [`atrim=${trim}`, "asetpts=PTS-STARTPTS"]),
    `aresample=${audioSampleRate}`,
  ].join(",");
  const graph = hasAudio ? `[0:v:0]${video}[v];[0:a:0]${audio}[a]` : `[0:v:0]${video}[v]`;
  return [
    ffmpegBinary(options),
    ...quietArgs,
    "-y",
    "-i", options.input,
    "-filter_complex", graph,
    "-map", "[v]",
    ...(hasAudio ? ["-map", "[a]", "-c:a", "pcm_s16le", "-ac", String(audioChannels)] : []),
    "-c:v", "ffv1", "-level", "3", "-threads", "1",
    "-map_metadata", "-1", "-map_chapters", "-1",
    "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
    options.output,
  ];
}

export async function normalizeMedia(options: NormalizeOptions): Promise<NormalizeResult> {
  if (extname(options.output).toLowerCase() !== ".mkv") {
    throw new RecompError({
      code: "usage",
      message: "the normalized output must be a .mkv file (lossless FFV1 video and PCM audio)",
      location: { file: options.output },
      hint: "name the output e.g. normalized.mkv",
    });
  }
  const info = await probeMedia(options.input, options);
  if (info.video === undefined) {
    throw new RecompError({ code: "format_invalid", message: "the source has no video stream", location: { file: options.input } });
  }
  const version = await ffmpegVersion(options);
  const command = normalizeCommand(options, info.audio !== undefined);
  const [tool, ...args] = command as [string, ...string[]];
  // ffmpeg writes to a temporary name first, so a failed run leaves no half-written output.
  const temp = `${options.output}.partial.mkv`;
  const { execa } = await import("execa");
  const result = await execa(tool, args.map((a) => (a === options.output ? temp : a)), { reject: false, stdin: "ignore" });
  if (isMissing(result)) throw toolMissing(tool);
  if (result.exitCode !== 0) {
    await rm(temp, { force: true });
    throw toolFailed(tool, `normalizing ${options.input}`, String(result.stderr));
  }
  await rename(temp, options.output);
  const record = `${options.output}.normalize.json`;
  await writeFileAtomic(record, canonicalJsonPretty({ schema_version: "1", ffmpeg_version: version, command, profile: options.profile, start: options.start, end: options.end }));
  return { output: options.output, record, ffmpegVersion: version, command };
}
