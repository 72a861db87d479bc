// Issue 13: the emulated reference (docs/reference-emulated.md), on the demo (its own personality): the original
// code under qemu-aarch64 over the same runtime agrees with the recompiled build in every frame, audio window and
// log line; a one-instruction patch is found at its frame; self-modifying code and stray traps are refused with a
// located error; a missing qemu-aarch64 is exit 2 naming qemu-user. (`recomp automate` with the reference made by
// emulation: test/reference/automate-emulated.test.ts.) (The libnx examples are compared in
// test/libnx/examples.test.ts, beside the recompiled runs that test already makes.)
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { referenceEmulateResultSchema } from "../../src/config/cli-results.js";
import { compareRuns, formatComparison, runFilesIn, type RunComparison } from "../../src/reference/index.js";
import { requireTools } from "../helpers/tools.js";

const repo = join(import.meta.dirname, "..", "..");

interface Title {
  nro: string;
  sample: string;
  fps?: number;
}

const demo: Title = { nro: join(repo, "samples", "demo", "demo.nro"), sample: join(repo, "samples", "demo") };

const cli = (...args: string[]): Promise<number> => main(["node", "recomp", ...args]);

/** Lifts `title` (its segments and entry are all the emulated host takes from module.json). */
async function lift(dir: string, title: Title): Promise<string> {
  expect(await cli("lift", "--nro", title.nro, "--title", join(title.sample, "title.toml"), "--out", join(dir, "lift"))).toBe(0);
  return join(dir, "lift", "module.json");
}

/** The recompiled build's run on the title's input script, into dir/recompiled/run. */
async function runRecompiled(dir: string, title: Title, module: string): Promise<string> {
  const build = join(dir, "recompiled", "build");
  expect(await cli("emit", "--module", module, "--title", join(title.sample, "title.toml"), "--out", build)).toBe(0);
  await execa("make", ["-s", "-C", build]);
  const replay = join(dir, "recompiled", "replay.txt");
  const fps = title.fps === undefined ? [] : ["--fps", String(title.fps)];
  expect(await cli("replay", "convert", join(title.sample, "input_script.toml"), "--out", replay, ...fps)).toBe(0);
  const run = join(dir, "recompiled", "run");
  await mkdir(join(run, "frames"), { recursive: true });
  await mkdir(join(dir, "recompiled", "sdmc"));
  const result = await execa(
    join(build, "recomp-title"),
    [...fps, "--capture-dir", run, "--frames-dir", join(run, "frames"), "--audio-file", join(run, "audio.wav"), "--replay", replay],
    { env: { RECOMP_SDMC_DIR: join(dir, "recompiled", "sdmc"), RECOMP_SELF_NRO: title.nro }, reject: false },
  );
  expect(result.exitCode, result.stderr).toBe(0);
  return run;
}

/** `recomp reference emulate` on the title (with `extra` flags); returns its run folder and what it printed. */
async function runEmulated(dir: string, title: Title, module: string, extra: string[] = []): Promise<{ run: string; stdout: string }> {
  const fps = title.fps === undefined ? [] : ["--fps", String(title.fps)];
  const out = join(dir, "emulated");
  const args = ["--module", module, "--title", join(title.sample, "title.toml"), "--input-script", join(title.sample, "input_script.toml")];
  const printed: string[] = [];
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => printed.push(String(chunk)) > 0);
  try {
    expect(await cli("reference", "emulate", ...args, "--out", out, "--self-nro", title.nro, ...fps, ...extra)).toBe(0);
  } finally {
    write.mockRestore();
  }
  return { run: join(out, "run"), stdout: printed.join("") };
}

/**
 * The emulated host `recomp reference emulate` built in `buildDir`, copied with its segment images (which it loads
 * from its own folder) into `dir`, words of the text image patched as a patched NRO would load, run under qemu:
 * its exit status and stderr.
 */
async function runPatchedHost(buildDir: string, dir: string, words: ReadonlyArray<[number, number]>): Promise<{ exitCode?: number; stderr: string }> {
  await mkdir(join(dir, "segments"), { recursive: true });
  await copyFile(join(buildDir, "recomp-reference"), join(dir, "recomp-reference"));
  for (const name of ["text.bin", "rodata.bin", "data.bin"]) await copyFile(join(buildDir, "segments", name), join(dir, "segments", name));
  const text = await readFile(join(dir, "segments", "text.bin"));
  for (const [offset, word] of words) text.writeUInt32LE(word, offset);
  await writeFile(join(dir, "segments", "text.bin"), text);
  const result = await execa("qemu-aarch64", ["-cpu", "cortex-a57", join(dir, "recomp-reference"), "--no-capture"], { reject: false });
  return { exitCode: result.exitCode, stderr: result.stderr };
}

describe.runIf(requireTools("cc", "make", "ffmpeg", "qemu-aarch64", "aarch64-linux-gnu-gcc"))("the emulated reference of the demo", () => {
  let work: string | undefined;
  let module = "";
  let recompiled = "";
  let emulated = "";
  afterAll(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });
  const workDir = async (): Promise<string> => (work ??= await mkdtemp(join(tmpdir(), "recomp-emulated-")));

  it("agrees with the recompiled run in every frame, audio window and replay-log line", async () => {
    const dir = join(await workDir(), "demo");
    module = await lift(dir, demo);
    recompiled = await runRecompiled(dir, demo, module);
    emulated = (await runEmulated(dir, demo, module)).run;
    const comparison: RunComparison = await compareRuns(runFilesIn(emulated), runFilesIn(recompiled));
    expect(comparison.frames).toEqual({ reference: 192, run: 192, first: undefined });
    expect(comparison.audio).toEqual({ reference: 300, run: 300, first: undefined });
    expect(comparison.log.first).toBeUndefined();
    expect(comparison.log.reference).toBeGreaterThan(0);
    // The demo's private svc ABI is logged call by call too (PresentFrame, SubmitAudio, ReadInput, ...), registers and all.
    expect(comparison.calls.first).toBeUndefined();
    expect(comparison.calls.reference).toBeGreaterThan(192 * 3);
    const lines = (await readFile(join(emulated, "replay-log.jsonl"), "utf8")).split("\n");
    // Logged once answered: the first present has made frame 0, so its line carries frame 1.
    expect(lines.find((line) => line.includes('"name":"PresentFrame"'))).toMatch(
      /^\{"args":"x0=0x[0-9a-f]+ x1=0xa0 x2=0x5a x3=0x280","frame":1,"kind":"svc","name":"PresentFrame","results":"x0=0x0","svc":61440\}$/,
    );
  }, 600_000);

  it("gives byte-identical hash lists run after run (the second run with --json: its result object)", async () => {
    const dir = join(await workDir(), "demo");
    const lists = join(dir, "emulated", "reference");
    const first = await Promise.all(["frames.sha256", "audio.sha256"].map((name) => readFile(join(lists, name))));
    const { stdout } = await runEmulated(dir, demo, module, ["--json"]);
    expect(referenceEmulateResultSchema.parse(JSON.parse(stdout))).toMatchObject({
      out: join(dir, "emulated"),
      frames: 192,
      audio_windows: 300,
      frame_hashes: join(lists, "frames.sha256"),
      audio_hashes: join(lists, "audio.sha256"),
      reference_video_toml: null,
    });
    const second = await Promise.all(["frames.sha256", "audio.sha256"].map((name) => readFile(join(lists, name))));
    expect(second).toEqual(first);
  }, 600_000);

  it("finds a one-instruction patch of the demo (the breakage test's) at frame 50; the logs, with no service call changed, agree", async () => {
    const dir = join(await workDir(), "breakage");
    await mkdir(dir, { recursive: true });
    const patched = join(dir, "demo.nro");
    await copyFile(demo.nro, patched);
    const bytes = await readFile(patched);
    expect(bytes.readUInt32LE(0x218)).toBe(0x5100b442); // sub w2, w2, #0x2d (test/demo/breakage.test.ts)
    bytes.writeUInt32LE(0x5100b842, 0x218);
    await writeFile(patched, bytes);
    const title = { ...demo, nro: patched };
    const run = await runRecompiled(dir, title, await lift(dir, title));
    const comparison = await compareRuns(runFilesIn(emulated), runFilesIn(run));
    expect(comparison.frames.first?.index).toBe(50);
    expect(comparison.audio.first).toBeUndefined();
    expect(comparison.log.first).toBeUndefined();
    // The patch changes pixels only: every call, its arguments and results included, is the same.
    expect(comparison.calls.first).toBeUndefined();
    expect(formatComparison(comparison)).toEqual([
      "frames: first difference at frame 50 (reference 192 frames, run 192)",
      "audio: identical (300 windows)",
      `replay log: identical (${comparison.log.reference} lines)`,
      `service calls: identical (${comparison.calls.reference} calls)`,
    ]);
  }, 600_000);

  it("refuses a program that writes to its own code, naming the address and the instruction", async () => {
    // At the entry: adr x16, . ; str wzr, [x16]
    const run = await runPatchedHost(join(emulated, "..", "build"), join(await workDir(), "self-write"), [[0, 0x10000010], [4, 0xb900021f]]);
    expect(run).toEqual({
      exitCode: 3,
      stderr: "fault: write to the program's own code, which the emulated reference has rewritten and cannot run modified: 0 bytes at 0x10000000 (instruction at 0x10000004)",
    });
  });

  it("refuses a trap word that is not a rewritten word at its own address", async () => {
    // brk #0 at the entry: site 0 is the demo's first svc, elsewhere.
    const run = await runPatchedHost(join(emulated, "..", "build"), join(await workDir(), "stray-trap"), [[0, 0xd4200000]]);
    expect(run).toEqual({
      exitCode: 3,
      stderr: "fault: brk #0x0 is not a rewritten svc or system-register read at its own address (word 0xd4200000) (instruction at 0x10000000)",
    });
  });

  it("without qemu-aarch64 on PATH is exit 2 naming the Debian package qemu-user", async () => {
    const dir = join(await workDir(), "no-qemu");
    await mkdir(dir, { recursive: true });
    const path = process.env.PATH;
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      errors.push(String(chunk));
      return true;
    });
    process.env.PATH = dir;
    try {
      const args = ["--module", module, "--title", join(demo.sample, "title.toml"), "--input-script", join(demo.sample, "input_script.toml")];
      expect(await cli("reference", "emulate", ...args, "--out", join(dir, "out"))).toBe(2);
    } finally {
      process.env.PATH = path;
      process.stderr.write = write;
    }
    expect(errors.join("")).toContain("qemu-aarch64 was not found on PATH");
    expect(errors.join("")).toContain("install the Debian package qemu-user");
  });
});
