// Deliverable 9: the loop catches real breakage. One immediate in the demo's drawing code is changed
// in a copy of demo.nro; the recompiled program then draws a different background from the first
// pattern on, and `recomp automate` must fail validation and name the first diverging frame.
import { copyFile, cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunManifest } from "../../src/config/run-manifest.js";
import type { ValidationReport } from "../../src/config/validation-report.js";
import { writeProvenance } from "../../src/intake/provenance-init.js";
import { demoDir } from "../../scripts/demo/paths.js";
import { recomp, recompBin, type CliResult } from "../engine/fixture.js";
import { requireTools } from "../helpers/tools.js";

/** `sub w2, w2, #0x2d` in the background pattern, and the same with #0x2e. */
const patchOffset = 0x218;
const originalWord = 0x5100b442;
const patchedWord = 0x5100b842;

/** The demo's inputs (not its work folder or sources) copied into `dir`, with demo.nro patched. */
async function patchedDemoCopy(dir: string): Promise<void> {
  for (const name of ["title.toml", "reference_video.toml", "capture_video.toml", "input_script.toml"]) {
    await copyFile(join(demoDir, name), join(dir, name));
  }
  await cp(join(demoDir, "reference"), join(dir, "reference"), { recursive: true });
  const nro = await readFile(join(demoDir, "demo.nro"));
  const found = nro.readUInt32LE(patchOffset);
  if (found !== originalWord) {
    throw new Error(`demo.nro changed: word at 0x${patchOffset.toString(16)} is 0x${found.toString(16)}, not 0x${originalWord.toString(16)}; pick a new patch`);
  }
  nro.writeUInt32LE(patchedWord, patchOffset);
  await writeFile(join(dir, "demo.nro"), nro);
  await writeProvenance([join(dir, "demo.nro")], {
    out: join(dir, "provenance.toml"),
    titleName: "recomp demo (patched)",
    titleId: "0100000000000000",
    titleVersion: "1",
    region: "none",
    device: "patched copy of samples/demo/demo.nro",
    collectedAt: "2026-11-21",
    toolName: "recomp-tests",
    toolVersion: "1",
  });
  // The sample's paths that point outside its folder, made to work from the temp folder.
  let config = await readFile(join(demoDir, "automation.toml"), "utf8");
  for (const [from, to] of [
    ['"../../bin/recomp.js"', JSON.stringify(recompBin)],
    ['assets_dir = "../../../recomp-demo-assets"', 'assets_dir = "assets"'],
  ] as const) {
    if (!config.includes(from)) throw new Error(`samples/demo/automation.toml has no ${from}`);
    config = config.replace(from, to);
  }
  await writeFile(join(dir, "automation.toml"), config);
}

describe.runIf(requireTools("cc", "make", "ffmpeg", "ffprobe"))("a one-instruction patch of the demo NRO", () => {
  let dir: string;
  let run: CliResult;
  let report: ValidationReport;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "recomp-demo-breakage-"));
    await patchedDemoCopy(dir);
    run = await recomp(dir, ["automate", "--config", "automation.toml"]);
    report = JSON.parse(await readFile(join(dir, "work", "validation", "validation-report.json"), "utf8")) as ValidationReport;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("fails validation with exit code 1", async () => {
    expect(run.code, run.stderr).toBe(1);
    const manifest = JSON.parse(await readFile(join(dir, "work", "run-manifest.json"), "utf8")) as RunManifest;
    expect(manifest.result).toEqual({ status: "validation_failed", exit_code: 1 });
    expect(report.verdict).toBe("fail");
  });

  it("names the first diverging frame and its timecode", async () => {
    // Mismatch runs are listed longest first; the first divergence is the earliest start.
    const first = [...report.frames.mismatch_runs].sort((a, b) => a.start_frame - b.start_frame)[0];
    expect(first).toMatchObject({ start_frame: 50, start: "00:00:01.667", frames: 60, category: "different" });
    const text = await readFile(join(dir, "work", "validation", "validation-report.txt"), "utf8");
    expect(text.split("\n").filter((line) => line.includes("frame 50 (00:00:01.667)"))).toEqual([
      "  [encoding_difference] only 132 of 192 frames are pixel-identical, yet they look alike; the first differs at frame 50 (00:00:01.667)",
    ]);
    expect(report.failures[0]).toMatchObject({ category: "encoding_difference", start: "00:00:01.667", end: first?.end });
  });
});
