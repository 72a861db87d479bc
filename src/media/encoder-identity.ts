// media: the full identity of the H.264 encoder ffmpeg runs: libx264's output depends on its build
// *and* on the CPU features it picks at run time, so a lossy capture is reproducible byte for byte
// only where this whole string is the same.
import { ffmpegBinary, ffmpegVersion, isMissing, toolFailed, toolMissing, type FfmpegOptions } from "./ffmpeg-tool.js";

/** One 16x16 grey frame encoded to a raw H.264 stream on stdout, with x264's info lines on stderr. */
const probeArgs = [
  "-nostdin", "-hide_banner", "-v", "info",
  "-f", "lavfi", "-i", "color=c=gray:s=16x16:r=1", "-frames:v", "1",
  "-c:v", "libx264", "-x264-params", "threads=1", "-f", "h264", "-",
];

/**
 * "x264 core 164 r3095 baee400; cpu MMX2 SSE2Fast ... AVX2": x264's version as its SEI writes it into
 * every stream, and the CPU capabilities it reports using. Throws when ffmpeg has no libx264.
 */
export async function x264Identity(options: FfmpegOptions = {}): Promise<string> {
  const tool = ffmpegBinary(options);
  const { execa } = await import("execa");
  const result = await execa(tool, probeArgs, { reject: false, stdin: "ignore", encoding: "latin1", timeout: 20_000 });
  if (isMissing(result)) throw toolMissing(tool);
  if (result.exitCode !== 0) throw toolFailed(tool, "encoding one frame with libx264 to read its identity", String(result.stderr));
  const core = /x264 - core (\d+) (r\d+ [0-9a-f]+)/.exec(String(result.stdout));
  const cpu = /using cpu capabilities: ([^\n]*)/.exec(String(result.stderr));
  const version = core === null ? "x264 core unknown" : `x264 core ${core[1] ?? ""} ${core[2] ?? ""}`;
  return `${version}; cpu ${cpu?.[1]?.trim() ?? "unknown"}`;
}

/** ffmpeg's version line and libx264's identity: what a byte-exact H.264 reference must match. */
export async function h264EncoderIdentity(options: FfmpegOptions = {}): Promise<string> {
  const version = (await ffmpegVersion(options)).replace(/ Copyright.*$/, "");
  return `${version}; ${await x264Identity(options)}`;
}
