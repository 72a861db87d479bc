import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseReplayLog, readReplayLog } from "../../src/replay/index.js";
import { asRecompErrors, formatError } from "../../src/util/errors.js";
import { demoPaths } from "../../scripts/demo/paths.js";
import { makeDemoReference, referenceVideoToml, type DemoReference } from "../../scripts/demo/reference.js";
import { requireTools } from "../helpers/tools.js";

/** The hashes of ffmpeg's framehash output (the last field of each non-comment line). */
async function ffmpegHashes(args: string[]): Promise<string[]> {
  const { stdout } = await execa("ffmpeg", ["-v", "error", ...args, "-f", "framehash", "-hash", "sha256", "-"]);
  return stdout
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => line.split(", ").at(-1) ?? "");
}

describe.runIf(requireTools("cc", "ffmpeg"))("the demo's reference (native build)", () => {
  let dir: string;
  let first: DemoReference;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "recomp-demo-ref-"));
    first = await makeDemoReference(join(dir, "a"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("committed hash lists and reference_video.toml equal a fresh native run", async () => {
    expect(first.frames).toHaveLength(192);
    expect(first.audio).toHaveLength(300);
    for (const [committed, fresh] of [
      [demoPaths.frameHashes, first.frameList],
      [demoPaths.audioHashes, first.audioList],
      [`${demoPaths.frameHashes}.features`, `${first.frameList}.features`],
      [`${demoPaths.audioHashes}.features`, `${first.audioList}.features`],
    ] as const) {
      expect(Buffer.compare(await readFile(committed), await readFile(fresh)), committed).toBe(0);
    }
    expect(await readFile(demoPaths.referenceVideo, "utf8")).toBe(referenceVideoToml(first));
  });

  it("hashes frames and audio exactly as ffmpeg's framehash does", async () => {
    const capture = join(dir, "a");
    expect(await ffmpegHashes(["-i", join(capture, "frames", "frame_%06d.ppm"), "-pix_fmt", "rgb24"])).toEqual(first.frames);
    expect(await ffmpegHashes(["-i", join(capture, "audio.wav"), "-af", "asetnsamples=n=1024:p=0", "-c:a", "pcm_s16le"])).toEqual(first.audio);
  });

  it("gives byte-identical frames, audio and replay log on a second run", async () => {
    await makeDemoReference(join(dir, "b"));
    const files = async (root: string) => [
      ...(await readdir(join(root, "frames"))).sort().map((name) => join("frames", name)),
      "audio.wav",
      "replay-log.jsonl",
    ];
    const names = await files(join(dir, "a"));
    expect(await files(join(dir, "b"))).toEqual(names);
    for (const name of names) {
      expect(Buffer.compare(await readFile(join(dir, "a", name)), await readFile(join(dir, "b", name))), name).toBe(0);
    }
  });

  it("logs every applied input and marker with its frame", async () => {
    const log = (await readFile(join(dir, "a", "replay-log.jsonl"), "utf8")).trim().split("\n");
    expect(log.slice(0, 3)).toEqual([
      '{"frame":0,"kind":"marker","name":"boot"}',
      '{"frame":0,"kind":"debug","text":"demo: start frames 192"}',
      '{"control":14,"frame":15,"kind":"input","name":"dpad_right","value":1}',
    ]);
    expect(log).toContain('{"frame":50,"kind":"debug","text":"demo: pattern 1"}');
    expect(log.at(-1)).toBe('{"frame":192,"kind":"exit"}');
    expect(log.filter((line) => line.includes('"kind":"input"'))).toHaveLength(21);
  });

  it("reads the replay log back: markers land on the frames the input script names", async () => {
    const lines = await readReplayLog(join(dir, "a", "replay-log.jsonl"));
    const markers = lines.filter((line) => line.kind === "marker").map((line) => [line.name, line.frame]);
    const scheduled = first.schedule.entries.filter((entry) => entry.kind === "marker").map((entry) => [entry.name, entry.frame]);
    expect(markers).toEqual(scheduled);
    try {
      parseReplayLog('{"frame":1,"kind":"marker"}\nnope\n', "log.jsonl");
      expect.unreachable();
    } catch (error) {
      expect(asRecompErrors(error).map(formatError)).toEqual([
        "error[format_invalid]: log.jsonl:1: name: is required (expected string)",
        "error[format_invalid]: log.jsonl:2: not a JSON object",
      ]);
    }
  });
});
