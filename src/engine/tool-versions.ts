// engine: what a stage's tools really are. Known tools report their version by running them;
// any other program is identified by the SHA-256 of its binary. Never a path passed off as a version.
import type { HashCache } from "./hash-cache.js";
import { searchPath } from "../util/program-path.js";

/** Programs known to print a version, with the flag that asks for it. */
const versionFlags: Record<string, string[]> = {
  ffmpeg: ["-version"],
  ffprobe: ["-version"],
  openssl: ["version"],
  lz4: ["--version"],
  // hactool and hactoolnet have no version option (both print usage and exit 1): their SHA-256 identifies them.
};
const dashVersionTools = /^(cc|c\+\+|gcc|g\+\+|clang|clang\+\+|make|gmake|cmake|ninja|git|node|python3?|cargo|rustc|[a-z0-9_]+-linux-gnu-(gcc|objdump|as|ld|objcopy)|qemu-[a-z0-9_]+)$/;

/** The tool name a stage lists when its ffmpeg command encodes with libx264 (see commandPlan). */
export const encoderInsideFfmpeg = "libx264";

export class ToolRegistry {
  private readonly identities = new Map<string, Promise<string>>();

  constructor(private readonly hashCache: HashCache) {}

  /** Version (or binary digest) of a program found on PATH; "missing" when absent. */
  identity(program: string, explicitPath?: string): Promise<string> {
    const key = explicitPath ?? program;
    let known = this.identities.get(key);
    if (known === undefined) {
      known = this.probe(program, explicitPath);
      this.identities.set(key, known);
    }
    return known;
  }

  /** Every identity probed in this run, by tool name, for the manifest. */
  async all(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [name, identity] of [...this.identities.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      out[name.includes("/") ? name.slice(name.lastIndexOf("/") + 1) : name] = await identity;
    }
    return out;
  }

  private async probe(program: string, explicitPath: string | undefined): Promise<string> {
    // Not a program: the encoder inside ffmpeg, whose output depends on this CPU's features. Asked
    // every run (one 16x16 frame), never cached with the binary: the same ffmpeg runs on other CPUs.
    if (program === encoderInsideFfmpeg) {
      const ffmpeg = searchPath("ffmpeg").found;
      if (ffmpeg === undefined) return "missing";
      // Loaded only for an ffmpeg that encodes with libx264 (it spawns ffmpeg, through execa).
      const { x264Identity } = await import("../media/encoder-identity.js");
      return x264Identity({ ffmpegPath: ffmpeg }).catch((error: unknown) => `unavailable: ${(error as Error).message.split("\n")[0] ?? ""}`);
    }
    const resolved = explicitPath ?? searchPath(program).found;
    if (resolved === undefined) return "missing";
    // Asked once per binary: a re-run with the same tools spawns none of them.
    return this.hashCache.derived(resolved, "tool-identity", () => this.ask(program, resolved));
  }

  private async ask(program: string, resolved: string): Promise<string> {
    const flags = versionFlags[program] ?? (dashVersionTools.test(program) ? ["--version"] : undefined);
    if (flags !== undefined) {
      // Loaded on first use: a no-op re-run spawns nothing and need not load execa.
      const { execa } = await import("execa");
      const result = await execa(resolved, flags, { reject: false, timeout: 20_000, stdin: "ignore" });
      const firstLine = `${result.stdout}\n${result.stderr}`.split("\n").find((line) => line.trim() !== "");
      if (result.exitCode === 0 && firstLine !== undefined) return firstLine.trim();
    }
    const digest = await this.hashCache.digest(resolved);
    return `sha256:${digest.sha256}`;
  }
}
