// media: locating and running ffmpeg/ffprobe (argv arrays only), with errors that say what to do.
import { basename, dirname, join } from "node:path";
import { RecompError } from "../util/errors.js";

export interface FfmpegOptions {
  /** ffmpeg binary (automation.toml `[tools] ffmpeg_path`); default `ffmpeg` on PATH. */
  ffmpegPath?: string;
  /**
   * Threads per ffmpeg run, for decoding and for filtering; default ffmpeg's own choice (about one
   * per core each). Set when several decodes run at once, so that they share the cores instead of
   * oversubscribing them. Decoded and filtered pixels do not depend on it.
   */
  threads?: number;
}

export function ffmpegBinary(options: FfmpegOptions = {}): string {
  return options.ffmpegPath ?? "ffmpeg";
}

/** ffprobe is taken from the folder of a configured ffmpeg, so both come from one install. */
export function ffprobeBinary(options: FfmpegOptions = {}): string {
  const ffmpeg = options.ffmpegPath;
  if (ffmpeg === undefined || !ffmpeg.includes("/")) return "ffprobe";
  return join(dirname(ffmpeg), basename(ffmpeg).replace(/ffmpeg/, "ffprobe"));
}

/** Arguments every decoding run starts with: quiet, never reading stdin. */
export const quietArgs = ["-nostdin", "-hide_banner", "-loglevel", "error"] as const;

/** Options that set the decoding and filtering thread counts, when the caller chose one (before `-i`). */
export function threadArgs(options: FfmpegOptions): string[] {
  if (options.threads === undefined) return [];
  const count = String(options.threads);
  return ["-filter_threads", count, "-filter_complex_threads", count, "-threads", count];
}

export function toolMissing(tool: string): RecompError {
  return new RecompError({
    code: "tool_missing",
    message: `${tool} was not found`,
    hint: "install ffmpeg (apt-get install ffmpeg) or set [tools] ffmpeg_path in automation.toml",
  });
}

export function toolFailed(tool: string, what: string, stderr: string): RecompError {
  const tail = stderr.trim().split("\n").slice(-5).join("\n");
  return new RecompError({
    code: "stage_failed",
    message: `${tool} failed while ${what}${tail === "" ? "" : `:\n${tail}`}`,
    hint: "check that the input is a readable media file that ffmpeg decodes",
  });
}

/** Runs a tool to completion and returns its stdout as text. */
export async function runTool(tool: string, args: readonly string[], what: string): Promise<string> {
  // execa loads only when a tool runs: a no-op `automate` reaches this module through its pre-flight checks.
  const { execa } = await import("execa");
  const result = await execa(tool, args, { reject: false, stdin: "ignore" });
  if (isMissing(result)) throw toolMissing(tool);
  if (result.exitCode !== 0) throw toolFailed(tool, what, String(result.stderr));
  return String(result.stdout);
}

export function isMissing(result: { failed: boolean; code?: string }): boolean {
  return result.failed && result.code === "ENOENT";
}

/** The first line of `ffmpeg -version` (e.g. "ffmpeg version 5.1.9-0+deb12u1 ..."), as run, never guessed. */
export async function ffmpegVersion(options: FfmpegOptions = {}): Promise<string> {
  const tool = ffmpegBinary(options);
  const out = await runTool(tool, ["-version"], "printing its version");
  return (out.split("\n")[0] ?? "").trim();
}
