// Every sample config in the repository is run, for real, as a user runs it: exit 0, validation
// passed, a no-op re-run reuses every stage, and a fresh run gives byte-identical artifacts.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "smol-toml";
import { afterAll, describe, expect, it } from "vitest";
import type { RunManifest } from "../../src/config/run-manifest.js";
import { makeLiftedSample, liftedSampleDir } from "../../scripts/make-lifted-sample.js";
import { makeDemoXci } from "../../scripts/make-demo-xci.js";
import { recomp } from "../engine/fixture.js";
import { requireTools } from "../helpers/tools.js";

const repo = resolve(import.meta.dirname, "../..");

async function sampleConfigs(): Promise<string[]> {
  const found: string[] = [];
  for (const folder of (await readdir(join(repo, "samples"), { withFileTypes: true })).filter((e) => e.isDirectory())) {
    for (const name of await readdir(join(repo, "samples", folder.name))) {
      if (/^automation.*\.toml$/.test(name)) found.push(`samples/${folder.name}/${name}`);
    }
  }
  return found.sort();
}

const configs = await sampleConfigs();

// The demo configs put their assets in the user's cache folder: here one in the temp folder, never beside the clone.
const cacheHome = await mkdtemp(join(tmpdir(), "recomp-samples-cache-"));
const env = { XDG_CACHE_HOME: cacheHome };
afterAll(async () => {
  await rm(cacheHome, { recursive: true, force: true });
});

/** The config's `outputs.work_root`, as an absolute path (each sample config has its own). */
async function workRootOf(config: string): Promise<string> {
  const { outputs } = parse(await readFile(join(repo, config), "utf8")) as { outputs: { work_root: string } };
  return join(repo, config, "..", outputs.work_root);
}

async function manifestOf(config: string): Promise<RunManifest> {
  return JSON.parse(await readFile(join(await workRootOf(config), "run-manifest.json"), "utf8")) as RunManifest;
}

describe.runIf(requireTools("cc", "make", "ffmpeg", "ffprobe"))("sample configs", () => {
  it("are the demo (homebrew, through MP4, and XCI form) and the lifted sample, each with its own work root", async () => {
    expect(configs).toEqual([
      "samples/demo/automation.mp4.toml",
      "samples/demo/automation.toml",
      "samples/demo/automation.xci.toml",
      "samples/lifted/automation.toml",
    ]);
    const roots = await Promise.all(configs.map(workRootOf));
    expect(roots.map((root) => root.slice(repo.length + 1))).toEqual([
      "samples/demo/work-mp4",
      "samples/demo/work",
      "samples/demo/work-xci",
      "samples/lifted/work",
    ]);
  });

  it.each(configs)("%s runs the whole loop, passes, re-runs as a no-op and reproduces its artifacts", async (config) => {
    const work = await workRootOf(config);
    await rm(work, { recursive: true, force: true });
    // The XCI sample's image and keys are generated, never committed.
    if (config === "samples/demo/automation.xci.toml") await makeDemoXci();
    const first = await recomp(repo, ["automate", "--config", config], env);
    expect(first.stderr).toContain("passed:");
    expect(first.code).toBe(0);
    const manifest = await manifestOf(config);
    expect(manifest.result).toEqual({ status: "passed", exit_code: 0 });
    expect(manifest.validation_report?.passed).toBe(true);
    // Real versions, obtained by running the tools (never their paths).
    expect(manifest.tool_versions.ffmpeg).toMatch(/^ffmpeg version \S+/);
    expect(manifest.tool_versions.make).toMatch(/^GNU Make \d/);
    const report = JSON.parse(await readFile(join(work, "validation", "validation-report.json"), "utf8")) as {
      verdict: string;
      frames: { matched_frames: number; reference_frames: number; match_ratio: number };
    };
    expect(report.verdict).toBe("pass");
    expect(report.frames).toMatchObject({ matched_frames: 192, reference_frames: 192, match_ratio: 1 });

    const again = await recomp(repo, ["automate", "--config", config, "--json"], env);
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout) as { steps: { status: string; cache_hit: boolean }[] };
    expect(summary.steps.filter((s) => s.status !== "skipped").every((s) => s.cache_hit)).toBe(true);

    // A fresh run from scratch: the same artifacts, byte for byte.
    const artifacts = (m: RunManifest) => m.artifacts.map((a) => `${a.path} ${a.sha256}`);
    await rm(work, { recursive: true, force: true });
    expect((await recomp(repo, ["automate", "--config", config], env)).code).toBe(0);
    expect(artifacts(await manifestOf(config))).toEqual(artifacts(manifest));
  });
});

describe("the lifted sample's module", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("is what scripts/make-lifted-sample.ts writes from the demo NRO today", async () => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-lifted-sample-"));
    dirs.push(dir);
    await makeLiftedSample(dir);
    for (const file of ["module.json", "segments/text.bin", "segments/rodata.bin", "segments/data.bin"]) {
      expect(Buffer.compare(await readFile(join(dir, file)), await readFile(join(liftedSampleDir, file))), file).toBe(0);
    }
  });
});
