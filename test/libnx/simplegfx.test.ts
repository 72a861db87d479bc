// Unmodified libnx homebrew end to end: switch-examples' simplegfx (test/fixtures/libnx) is lifted, emitted on
// the horizon personality, built and run with its replayed input script. Every presented 1280x720 frame must be
// the grey level its source computes (0x01010101 * cnt * 4, cnt stepping 1..60 then 0, one frame per loop), and
// the replayed Plus press at frame 150 must end the program.
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { requireTools } from "../helpers/tools.js";

const repo = join(import.meta.dirname, "..", "..");
const nro = join(repo, "test", "fixtures", "libnx", "simplegfx.nro");
const sample = join(repo, "samples", "libnx", "simplegfx");

/** The grey level simplegfx draws in frame `index` (0-based): its loop counter starts at 1 and wraps after 60. */
const greyOf = (index: number): number => (4 * ((index + 1) % 61)) & 0xff;

/** The distinct byte values of a binary PPM's pixels. */
async function pixelValues(path: string): Promise<{ width: number; height: number; values: Set<number> }> {
  const bytes = await readFile(path);
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(bytes.subarray(0, 32).toString("latin1"));
  if (header === null) throw new Error(`${path}: not a binary PPM`);
  const pixels = bytes.subarray(header[0].length);
  return { width: Number(header[1]), height: Number(header[2]), values: new Set(pixels) };
}

describe.runIf(requireTools("cc", "make"))("libnx simplegfx on the horizon personality", () => {
  it("presents every frame in the grey its source computes and exits on the replayed Plus", async () => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-simplegfx-"));
    try {
      const title = join(sample, "title.toml");
      expect(await main(["node", "recomp", "lift", "--nro", nro, "--title", title, "--out", join(dir, "lift")])).toBe(0);
      expect(await main(["node", "recomp", "emit", "--module", join(dir, "lift", "module.json"), "--title", title, "--out", join(dir, "build")])).toBe(0);
      await execa("make", ["-s", "-C", join(dir, "build")]);
      const replay = join(dir, "replay.txt");
      expect(await main(["node", "recomp", "replay", "convert", join(sample, "input_script.toml"), "--out", replay])).toBe(0);
      await mkdir(join(dir, "sdmc"));
      await mkdir(join(dir, "run", "frames"), { recursive: true });
      const run = await execa(
        join(dir, "build", "recomp-title"),
        ["--fps", "60", "--capture-dir", join(dir, "run"), "--frames-dir", join(dir, "run", "frames"), "--audio-file", join(dir, "run", "audio.wav"), "--replay", replay],
        { env: { RECOMP_SDMC_DIR: join(dir, "sdmc"), RECOMP_SELF_NRO: nro }, reject: false },
      );
      expect(run.stderr).toBe("");
      expect(run.exitCode).toBe(0);
      const frames = (await readdir(join(dir, "run", "frames"))).sort();
      expect(frames).toHaveLength(150);
      const wrong: string[] = [];
      for (const [index, name] of frames.entries()) {
        const { width, height, values } = await pixelValues(join(dir, "run", "frames", name));
        const want = greyOf(index);
        if (width !== 1280 || height !== 720 || values.size !== 1 || !values.has(want)) {
          wrong.push(`${name}: ${width}x${height} values ${[...values].slice(0, 4).join(",")} (want ${want})`);
        }
      }
      expect(wrong).toEqual([]);
      const log = (await readFile(join(dir, "run", "replay-log.jsonl"), "utf8")).trim().split("\n");
      expect(JSON.parse(log.at(-1) ?? "{}")).toEqual({ frame: 150, kind: "exit" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
