// Unmodified libnx homebrew end to end (switch-examples in test/fixtures/libnx): each sample (samples/libnx/<name>,
// copied to a temp folder) goes through `recomp automate` on the horizon personality and passes exact validation
// against its committed reference; its captured frames and sound are then checked against what its source draws,
// and the reference against them (simplegfx's is regenerated from the source's formula). Each is also run as the
// emulated reference (its original code under qemu-aarch64 over the same runtime: docs/reference-emulated.md), which
// must agree with the recompiled run frame for frame, audio window for window and service call for service call.
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { automateSample, copyLibnxSample, repoRoot, type LibnxExample } from "../../scripts/libnx-samples.js";
import { referenceFiles } from "../../scripts/make-libnx-simplegfx-reference.js";
import type { ReplayLogLine } from "../../src/config/replay-log.js";
import { compareRuns, runFilesIn } from "../../src/reference/index.js";
import { parseReplayLog } from "../../src/replay/replay-log.js";
import { channelSamples, pcmData, sinePeak } from "../helpers/wav.js";
import { requireTools } from "../helpers/tools.js";

interface Frame {
  width: number;
  height: number;
  pixels: Buffer;
}

async function readPpm(path: string): Promise<Frame> {
  const bytes = await readFile(path);
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(bytes.subarray(0, 32).toString("latin1"));
  if (header === null) throw new Error(`${path}: not a binary PPM`);
  return { width: Number(header[1]), height: Number(header[2]), pixels: bytes.subarray(header[0].length) };
}

/** The lit/unlit bitmap of each 16x16 console cell from column `column` (0-based) of `row`, for `count` cells. */
function consoleCells(frame: Frame, row: number, column: number, count: number): string[] {
  const lit = (x: number, y: number): boolean => frame.pixels.subarray((y * frame.width + x) * 3, (y * frame.width + x) * 3 + 3).some((v) => v !== 0);
  return Array.from({ length: count }, (_, i) => {
    let bits = "";
    for (let y = row * 16; y < (row + 1) * 16; y++) for (let x = (column + i) * 16; x < (column + i + 1) * 16; x++) bits += lit(x, y) ? "#" : ".";
    return bits;
  });
}

/** The sample copied to `work`/`name`, run through `recomp automate` (exact validation against its committed reference). */
async function automateExample(work: string, name: LibnxExample): Promise<{ frames: string[]; log: string[]; dir: string }> {
  const dir = join(work, name);
  await mkdir(dir);
  await copyLibnxSample(name, dir);
  const { code, output } = await automateSample(dir);
  expect(code, output).toBe(0);
  const run = join(dir, "work", "run");
  const frames = (await readdir(join(run, "frames"))).sort().map((file) => join(run, "frames", file));
  const log = (await readFile(join(run, "replay-log.jsonl"), "utf8")).trim().split("\n");
  expectLogOfRun(parseReplayLog(log.join("\n"), "replay-log.jsonl"), frames.length);
  await expectEmulatedAgreement(dir, name, frames.length);
  return { frames, log, dir };
}

/** `recomp reference emulate` on the lifted example agrees with the recompiled run in every frame, window and log line. */
async function expectEmulatedAgreement(dir: string, name: LibnxExample, frames: number): Promise<void> {
  const args = ["--module", join(dir, "work", "lift", "module.json"), "--title", join(dir, "title.toml"), "--input-script", join(dir, "input_script.toml")];
  const nro = join(repoRoot, "test", "fixtures", "libnx", `${name}.nro`);
  const emulate = await execa(process.execPath, [join(repoRoot, "bin", "recomp.js"), "reference", "emulate", ...args, "--out", join(dir, "emulated"), "--fps", "60", "--self-nro", nro], { reject: false, all: true });
  expect(emulate.exitCode, emulate.all).toBe(0);
  const comparison = await compareRuns(runFilesIn(join(dir, "emulated", "run")), runFilesIn(join(dir, "work", "run")));
  expect(comparison.frames).toEqual({ reference: frames, run: frames, first: undefined });
  expect(comparison.audio.first).toBeUndefined();
  expect(comparison.audio.reference).toBe(comparison.audio.run);
  expect(comparison.log.first).toBeUndefined();
}

/**
 * The replay log holds, in order, a frame line for each presented frame (0, 1, …), the inputs at the frames they
 * apply to, and the IPC requests with the frame current when each was answered: frame numbers never go back; the
 * last line is the exit after the last presented frame.
 */
function expectLogOfRun(lines: ReplayLogLine[], presented: number): void {
  expect(lines.filter((line) => line.kind === "frame").map((line) => line.frame)).toEqual(Array.from({ length: presented }, (_, i) => i));
  const backwards = lines.filter((line, i) => i > 0 && line.frame < (lines[i - 1]?.frame ?? 0));
  expect(backwards).toEqual([]);
  expect(lines.filter((line) => line.kind === "ipc").length).toBeGreaterThan(presented);
  expect(lines.at(-1)).toEqual({ kind: "exit", frame: presented });
}

const hashesIn = async (file: string): Promise<string[]> => (await readFile(file, "utf8")).split("\n").filter((line) => /^[0-9a-f]{64}$/.test(line));
const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/**
 * The committed reference lists are exactly the hashes of the run's frames (rgb24 pixels, which the PPM files hold)
 * and of its sound in 1024-sample-frame windows: the frames and sound the assertions check are the reference.
 */
async function expectReferenceIsThisRun(dir: string, frames: string[]): Promise<void> {
  const reference = join(dir, "reference");
  const frameHashes = await Promise.all(frames.map(async (path) => sha256((await readPpm(path)).pixels)));
  expect(frameHashes).toEqual(await hashesIn(join(reference, "frames.sha256")));
  const pcm = await pcmData(join(dir, "work", "run", "audio.wav"));
  const windows: string[] = [];
  for (let at = 0; at < pcm.length; at += 1024 * 4) windows.push(sha256(pcm.subarray(at, at + 1024 * 4)));
  expect(windows).toEqual(await hashesIn(join(reference, "audio.sha256")));
}

describe.runIf(requireTools("cc", "make", "ffmpeg", "ffprobe", "qemu-aarch64", "aarch64-linux-gnu-gcc"))("libnx examples through recomp automate on the horizon personality", () => {
  let work: string | undefined;
  afterAll(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });
  const workDir = async (): Promise<string> => (work ??= await mkdtemp(join(tmpdir(), "recomp-libnx-")));

  it("simplegfx presents every frame in the grey its source computes, its formula's reference passes, and it exits on Plus", async () => {
    const sample = join(repoRoot, "samples", "libnx", "simplegfx");
    for (const [file, text] of referenceFiles(await readFile(join(sample, "input_script.toml"), "utf8"))) {
      expect(await readFile(join(sample, file), "utf8"), `${file} is what scripts/make-libnx-simplegfx-reference.ts writes`).toBe(text);
    }
    const { frames, log } = await automateExample(await workDir(), "simplegfx");
    expect(frames).toHaveLength(150);
    // 0x01010101 * cnt * 4, cnt stepping 1..60 then 0: frame i (0-based) has cnt = (i + 1) mod 61.
    const wrong: string[] = [];
    for (const [index, path] of frames.entries()) {
      const { width, height, pixels } = await readPpm(path);
      const values = new Set(pixels);
      const want = 4 * ((index + 1) % 61);
      if (width !== 1280 || height !== 720 || values.size !== 1 || !values.has(want)) wrong.push(`frame ${index}: ${[...values].slice(0, 4).join(",")} (want ${want})`);
    }
    expect(wrong).toEqual([]);
    expect(JSON.parse(log.at(-1) ?? "{}")).toEqual({ frame: 150, kind: "exit" });
  }, 900_000);

  it("hello-world prints Hello World! at row 16, column 20 of libnx's 16x16 console and exits on the replayed Plus", async () => {
    const { frames, log, dir } = await automateExample(await workDir(), "hello-world");
    expect(frames).toHaveLength(60);
    const { width, height, pixels } = await readPpm(frames[30] ?? "");
    expect([width, height]).toEqual([1280, 720]);
    // "\x1b[16;20H": 1-based row and column of 16x16 cells, so the text starts at x 304, y 240.
    const text = "Hello World!";
    const [left, top, cell] = [19 * 16, 15 * 16, 16];
    const lit = (x: number, y: number): boolean => pixels.subarray((y * width + x) * 3, (y * width + x) * 3 + 3).some((v) => v !== 0);
    let outside = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const inText = x >= left && x < left + text.length * cell && y >= top && y < top + cell;
        if (!inText && lit(x, y)) outside++;
      }
    }
    expect(outside).toBe(0);
    const glyphs = consoleCells({ width, height, pixels }, 15, 19, text.length);
    // The space is blank, every letter is drawn, and equal letters are drawn identically (the font, not noise).
    [...text].forEach((char, i) => expect(glyphs[i]?.includes("#"), `cell ${i} "${char}"`).toBe(char !== " "));
    expect(glyphs[2]).toBe(glyphs[3]);
    expect(glyphs[3]).toBe(glyphs[9]);
    expect(glyphs[4]).toBe(glyphs[7]);
    expect(new Set(glyphs).size).toBe(new Set(text).size);
    expect((JSON.parse(log.at(-1) ?? "{}") as { kind?: string }).kind).toBe("exit");
    await expectReferenceIsThisRun(dir, frames);
  }, 900_000);

  it("read-controls prints \"<button> down\" on row 6 in the frame of each replayed press, and exits on Plus", async () => {
    const { frames, log, dir } = await automateExample(await workDir(), "read-controls");
    // A is pressed at frame 20 and B at frame 40 (samples/libnx/read-controls/input_script.toml).
    const aDown = consoleCells(await readPpm(frames[20] ?? ""), 5, 0, 7);
    const bDown = consoleCells(await readPpm(frames[40] ?? ""), 5, 0, 7);
    const before = consoleCells(await readPpm(frames[19] ?? ""), 5, 0, 7);
    const blank = ".".repeat(256);
    expect(before).toEqual(Array(7).fill(blank));
    // "A down" / "B down": the letter, a space, then the same four glyphs of "down", then nothing.
    expect(aDown[0]).not.toBe(bDown[0]);
    expect([aDown[1], aDown[6], bDown[1], bDown[6]]).toEqual([blank, blank, blank, blank]);
    expect(aDown.slice(2, 6)).toEqual(bDown.slice(2, 6));
    expect(new Set(aDown.slice(2, 6)).size).toBe(4);
    expect((JSON.parse(log.at(-1) ?? "{}") as { kind?: string }).kind).toBe("exit");
    await expectReferenceIsThisRun(dir, frames);
  }, 900_000);

  it("playtone plays one 1454-frame buffer of each pressed button's note at 30% of full scale, and silence between", async () => {
    const { dir, frames } = await automateExample(await workDir(), "playtone");
    const left = await channelSamples(join(dir, "work", "run", "audio.wav"));
    // A, B, Y, X pressed at frames 30, 60, 90, 120 (60 Hz): notes 220, 440, 880, 1760 Hz (its source's notefreq).
    const presses: [number, number][] = [[30, 220], [60, 440], [90, 880], [120, 1760]];
    const found: string[] = [];
    let loud = 0;
    for (const [frame, note] of presses) {
      const start = (frame * 48000) / 60;
      const tone = left.subarray(start, start + 1454);
      loud += tone.length;
      const { frequency, amplitude } = sinePeak(tone);
      const ok = Math.abs(frequency / note - 1) <= 0.01 && Math.abs(amplitude / (0.3 * 0x7fff) - 1) <= 0.02;
      if (!ok) found.push(`frame ${frame}: ${frequency.toFixed(2)} Hz, amplitude ${amplitude.toFixed(0)} (want ${note} Hz, ${(0.3 * 0x7fff).toFixed(0)})`);
    }
    expect(found).toEqual([]);
    // Everything else is silence: the tones are the only non-zero samples.
    const nonZero = left.reduce((count, sample) => count + (sample === 0 ? 0 : 1), 0);
    expect(nonZero).toBeLessThanOrEqual(loud);
    expect(nonZero).toBeGreaterThan(loud * 0.95);
    await expectReferenceIsThisRun(dir, frames);
  }, 900_000);
});
