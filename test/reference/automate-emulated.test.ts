// Issue 13: `recomp automate` with `[reference] source = "emulated"` (docs/reference-emulated.md). On libnx's
// hello-world (the cheapest example: 60 frames, no sound), lifted once: the emulate_reference stage runs the original
// code under qemu-aarch64 and the recompiled run passes exact validation against it; then a one-instruction patch of
// the lifted main (its Plus test made an A test, the segment images untouched) reuses that reference and fails,
// naming the first differing frame and the first diverging service call. A missing qemu-aarch64 is exit 2 before any
// stage, naming qemu-user.
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { moduleJsonSchema } from "../../src/config/module-json.js";
import type { RunManifest } from "../../src/config/run-manifest.js";
import type { ValidationReport } from "../../src/config/validation-report.js";
import { writeProvenance } from "../../src/intake/provenance-init.js";
import { moduleJsonText } from "../../src/lift/index.js";
import { automateSample, copyLibnxSample, repoRoot } from "../../scripts/libnx-samples.js";
import { recomp } from "../engine/fixture.js";
import { testProvenanceIdentity } from "../helpers/provenance.js";
import { requireTools } from "../helpers/tools.js";

/** hello-world's main: `tbnz w1, #10` (kDown & HidNpadButton_Plus -> leave the loop), in the block at this address. */
const plusTestBlock = "b_100001b0";

/** The lifted module with main's Plus test made a test of A (bit 0): the word and its IR, not the segment image. */
async function patchPlusTest(moduleJson: string): Promise<void> {
  const module = moduleJsonSchema.parse(JSON.parse(await readFile(moduleJson, "utf8")));
  const block = module.functions.flatMap((fn) => fn.blocks).find((b) => b.label === plusTestBlock);
  const insn = block?.ops.filter((op) => "asm" in op).at(-1);
  if (block?.terminator.op !== "br_test" || block.terminator.bit !== 10 || insn === undefined) {
    throw new Error(`hello-world's lift changed: ${plusTestBlock} does not end in a test of bit 10; pick a new patch`);
  }
  block.terminator.bit = 0;
  insn.word = `0x${(Number(insn.word) & ~(0x1f << 19)).toString(16)}`;
  insn.asm = insn.asm.replace("#10,", "#0,");
  await writeFile(moduleJson, moduleJsonText(module));
}

/** The copied sample made a lifted-mode project whose reference is made by emulation, replaying A at frame 20. */
async function emulatedProject(dir: string): Promise<void> {
  await copyLibnxSample("hello-world", dir);
  const nro = join(repoRoot, "test", "fixtures", "libnx", "hello-world.nro");
  expect((await recomp(dir, ["lift", "--nro", nro, "--title", "title.toml", "--out", "module"])).code).toBe(0);
  await writeProvenance([join(dir, "module", "module.json")], { ...testProvenanceIdentity, out: join(dir, "provenance.toml"), force: true });
  let config = await readFile(join(dir, "automation.toml"), "utf8");
  for (const [from, to] of [
    ['mode = "homebrew"', 'mode = "lifted"\nmodule_json = "module/module.json"'],
    [`nro = "${repoRoot}/test/fixtures/libnx/hello-world.nro"\n`, ""],
    ['reference_video_toml = "reference_video.toml"', 'source = "emulated"'],
    // The emulated run has no NRO to serve at the Argv path in lifted mode: nor has the recompiled one.
    ['"RECOMP_SELF_NRO=../../../test/fixtures/libnx/hello-world.nro", ', ""],
  ] as const) {
    if (!config.includes(from)) throw new Error(`samples/libnx/hello-world/automation.toml has no ${from}`);
    config = config.replace(from, to);
  }
  await writeFile(join(dir, "automation.toml"), config);
  // A at frame 20 (the original ignores it; the patched build leaves its loop there), then the sample's Plus at 60.
  const script = await readFile(join(dir, "input_script.toml"), "utf8");
  const press = (frame: number, value: number): string => `\n[[events]]\nframe = ${frame}\ncontrol = "a"\nvalue = ${value}\n`;
  await writeFile(join(dir, "input_script.toml"), script.replace("\n[[events]]", `${press(20, 1)}${press(22, 0)}\n[[events]]`));
}

interface Outcome {
  code: number;
  output: string;
  manifest: RunManifest;
  report: ValidationReport;
}

async function automate(dir: string): Promise<Outcome> {
  const { code, output } = await automateSample(dir);
  const read = async (file: string): Promise<unknown> => JSON.parse(await readFile(join(dir, "work", file), "utf8"));
  return { code, output, manifest: (await read("run-manifest.json")) as RunManifest, report: (await read("validation/validation-report.json")) as ValidationReport };
}

const step = (outcome: Outcome, name: string): RunManifest["steps"][number] | undefined => outcome.manifest.steps.find((s) => s.name === name);

describe.runIf(requireTools("cc", "make", "ffmpeg", "ffprobe", "qemu-aarch64", "aarch64-linux-gnu-gcc"))("recomp automate with a reference made by emulation", () => {
  let dir: string;
  let original: Outcome;
  let patched: Outcome;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "recomp-automate-emulated-"));
    await emulatedProject(dir);
    original = await automate(dir);
    await patchPlusTest(join(dir, "module", "module.json"));
    await writeProvenance([join(dir, "module", "module.json")], { ...testProvenanceIdentity, out: join(dir, "provenance.toml"), force: true });
    patched = await automate(dir);
  }, 900_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("makes the reference in its emulate_reference stage and passes exact validation, service call for service call", async () => {
    expect(original.code, original.output).toBe(0);
    expect(original.manifest.result).toEqual({ status: "passed", exit_code: 0 });
    expect(step(original, "emulate_reference")?.status).toBe("succeeded");
    expect(step(original, "emulate_reference")?.notes).toContain("60 frames, 47 audio windows; work/reference-emulated/reference_video.toml");
    expect(original.report.mode.value).toBe("exact");
    expect(original.report.frames).toMatchObject({ matched_frames: 60, reference_frames: 60 });
    const notes = step(original, "validate")?.notes ?? [];
    expect(notes.find((note) => note.startsWith("service calls:"))).toMatch(/^service calls: identical \(\d+ calls\)$/);
    expect(notes.find((note) => note.startsWith("replay log:"))).toMatch(/^replay log: identical \(\d+ lines\)$/);
    const written = await readFile(join(dir, "work", "reference-emulated", "reference_video.toml"), "utf8");
    expect(written.startsWith("# Reference made by emulation")).toBe(true);
  });

  it("reuses the reference for a patch of the lifted code alone, fails, and names the first differing frame and service call", () => {
    expect(patched.code, patched.output).toBe(1);
    expect(patched.manifest.result).toEqual({ status: "validation_failed", exit_code: 1 });
    expect(step(patched, "emulate_reference")?.cache_hit).toBe(true);
    expect(step(patched, "pipeline")?.cache_hit).toBe(false);
    // The patched build leaves its loop on A at frame 20: the reference's frames 20.. have no counterpart.
    expect(patched.report.verdict).toBe("fail");
    expect(patched.report.frames.capture_frames).toBe(20);
    const notes = step(patched, "validate")?.notes ?? [];
    const frameLine = notes.find((note) => note.startsWith("frames:"));
    expect(frameLine).toMatch(/^frames: first difference at frame 20 \(reference 60 frames, run \d+\)$/);
    // Where the original goes on to frame 20's calls, the patched build leaves through libnx's exit path.
    const calls = notes.find((note) => note.startsWith("service calls:"));
    expect(calls).toMatch(/^service calls: first diverging call \d+: reference frame 20: .+; run frame 20: .+$/);
    expect(patched.output).toContain(frameLine);
    expect(patched.output).toContain(calls);
  });

  it("without qemu-aarch64 on PATH stops before any stage with exit 2, naming the Debian package qemu-user", async () => {
    const bin = join(dir, "no-qemu-bin");
    await mkdir(bin);
    // Every program the run's commands and stages use stays reachable: only qemu-aarch64 is missing.
    for (const program of ["env", "make", "ffmpeg", "ffprobe", "node", "cc", "aarch64-linux-gnu-gcc"]) {
      const found = (await execa("sh", ["-c", 'command -v "$1"', "sh", program])).stdout;
      await symlink(found, join(bin, program));
    }
    const run = await recomp(dir, ["automate", "--config", "automation.toml"], { PATH: bin });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("qemu-aarch64 was not found on PATH");
    expect(run.stderr).toContain("install the Debian package qemu-user");
    const manifest = JSON.parse(await readFile(join(dir, "work", "run-manifest.json"), "utf8")) as RunManifest;
    expect(manifest.run_id).toBe(patched.manifest.run_id);
  });
});
