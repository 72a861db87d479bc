// media: what ffprobe says a file holds (resolution, frame rate as a rational, duration, formats).
import { z } from "zod";
import { RecompError } from "../util/errors.js";
import { ffprobeBinary, runTool, type FfmpegOptions } from "./ffmpeg-tool.js";

export interface Rational {
  num: number;
  den: number;
}

export interface ProbedVideo {
  width: number;
  height: number;
  frameRate: Rational;
  pixelFormat: string;
  codec: string;
}

export interface ProbedAudio {
  sampleRate: number;
  channels: number;
  codec: string;
}

export interface MediaInfo {
  /** "ffprobe version X", from the probe itself (no extra process). */
  toolVersion: string;
  durationSeconds: number | undefined;
  video: ProbedVideo | undefined;
  audio: ProbedAudio | undefined;
}

const probeOutput = z.object({
  program_version: z.object({ version: z.string() }).optional(),
  format: z.object({ duration: z.string().optional() }).optional(),
  streams: z.array(
    z.object({
      codec_type: z.string().optional(),
      codec_name: z.string().optional(),
      width: z.number().optional(),
      height: z.number().optional(),
      pix_fmt: z.string().optional(),
      r_frame_rate: z.string().optional(),
      avg_frame_rate: z.string().optional(),
      sample_rate: z.string().optional(),
      channels: z.number().optional(),
    }),
  ),
});

export function parseRational(text: string | undefined): Rational | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(text ?? "");
  if (match === null) return undefined;
  const num = Number(match[1]);
  const den = Number(match[2]);
  return den === 0 || num === 0 ? undefined : { num, den };
}

export function rationalValue(rate: Rational): number {
  return rate.num / rate.den;
}

export function formatRational(rate: Rational): string {
  return `${rate.num}/${rate.den}`;
}

export async function probeMedia(file: string, options: FfmpegOptions = {}): Promise<MediaInfo> {
  const text = await runTool(
    ffprobeBinary(options),
    ["-v", "error", "-of", "json", "-show_program_version", "-show_format", "-show_streams", file],
    `probing ${file}`,
  );
  const parsed = probeOutput.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new RecompError({ code: "format_invalid", message: "ffprobe printed an unexpected JSON shape", location: { file } });
  }
  const streams = parsed.data.streams;
  const v = streams.find((s) => s.codec_type === "video");
  const a = streams.find((s) => s.codec_type === "audio");
  const duration = Number(parsed.data.format?.duration);
  return {
    toolVersion: `ffprobe version ${parsed.data.program_version?.version ?? "unknown"}`,
    durationSeconds: Number.isFinite(duration) ? duration : undefined,
    video:
      v === undefined
        ? undefined
        : {
            width: v.width ?? 0,
            height: v.height ?? 0,
            frameRate: parseRational(v.avg_frame_rate) ?? parseRational(v.r_frame_rate) ?? { num: 0, den: 1 },
            pixelFormat: v.pix_fmt ?? "unknown",
            codec: v.codec_name ?? "unknown",
          },
    audio:
      a === undefined
        ? undefined
        : { sampleRate: Number(a.sample_rate ?? 0), channels: a.channels ?? 0, codec: a.codec_name ?? "unknown" },
  };
}
