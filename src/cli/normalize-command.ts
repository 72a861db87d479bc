// cli: `recomp normalize`: turn a recording into the canonical profile with one deterministic ffmpeg filter chain.
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { loadTomlFile, parseTimecode, referenceVideoSchema } from "../config/index.js";
import { normalizeMedia } from "../media/index.js";
import { RecompError } from "../util/errors.js";
import { resolveIn } from "../validate/index.js";
import { normalizeResultSchema } from "../config/cli-results.js";
import { positiveInteger } from "./hash-output.js";
import { jsonOption, printResult } from "./json-output.js";

interface NormalizeFlags {
  reference?: string;
  input?: string;
  output?: string;
  width?: number;
  height?: number;
  fps?: number;
  audioRate?: number;
  audioChannels?: number;
  start?: number;
  end?: number;
  ffmpeg?: string;
  json?: boolean;
}

function seconds(text: string): number {
  const value = parseTimecode(text);
  if (value === undefined) throw new InvalidArgumentError('must be a timecode: "HH:MM:SS.mmm", "MM:SS" or seconds');
  return value;
}

function positiveNumber(text: string): number {
  const value = Number(text);
  if (!(value > 0)) throw new InvalidArgumentError("must be a positive number");
  return value;
}

function required<T>(value: T | undefined, flag: string): T {
  if (value === undefined) {
    throw new RecompError({ code: "usage", message: `${flag} is required`, hint: "give it as a flag, or --reference with [normalization] and [normalization.profile]" });
  }
  return value;
}

export function registerNormalizeCommand(program: Command): void {
  jsonOption(program.command("normalize"))
    .description("scale (aspect kept), constant frame rate, trim and PCM audio in one deterministic ffmpeg pass; writes OUTPUT.mkv and OUTPUT.mkv.normalize.json")
    .option("--reference <file>", "reference_video.toml: [normalization] paths and profile, [timeline] trim (flags override)")
    .option("--input <file>", "source recording")
    .option("--output <file>", "normalized .mkv")
    .option("--width <px>", "width", positiveInteger)
    .option("--height <px>", "height", positiveInteger)
    .option("--fps <rate>", "frame rate", positiveNumber)
    .option("--audio-rate <hz>", "audio sample rate", positiveInteger)
    .option("--audio-channels <n>", "audio channels", positiveInteger)
    .option("--start <time>", "trim start", seconds)
    .option("--end <time>", "trim end", seconds)
    .option("--ffmpeg <path>", "ffmpeg binary")
    .action(async (flags: NormalizeFlags) => {
      const reference = flags.reference === undefined ? undefined : await loadTomlFile(flags.reference, referenceVideoSchema, "reference video TOML");
      const norm = reference?.data.normalization;
      const profile = norm?.profile;
      const fromToml = (path: string | undefined) => (path === undefined || reference === undefined ? undefined : resolveIn(reference.dir, path));
      const timeline = reference?.data.timeline;
      const result = await normalizeMedia({
        input: required(flags.input ?? fromToml(norm?.source_path), "--input"),
        output: required(flags.output ?? fromToml(norm?.normalized_path), "--output"),
        profile: {
          width: required(flags.width ?? profile?.width, "--width"),
          height: required(flags.height ?? profile?.height, "--height"),
          fps: required(flags.fps ?? profile?.fps, "--fps"),
          audioSampleRate: flags.audioRate ?? profile?.audio_sample_rate ?? 48000,
          audioChannels: flags.audioChannels ?? profile?.audio_channels ?? 2,
        },
        start: flags.start ?? (timeline === undefined ? undefined : parseTimecode(timeline.start)),
        end: flags.end ?? (timeline === undefined ? undefined : parseTimecode(timeline.end)),
        ffmpegPath: flags.ffmpeg,
      });
      const summary = { output: result.output, record: result.record, ffmpeg_version: result.ffmpegVersion, ffmpeg_command: result.command };
      printResult(flags.json, normalizeResultSchema, summary, `${result.output}\n${result.record}\n${result.ffmpegVersion}\n${result.command.join(" ")}\n`);
    });
}
