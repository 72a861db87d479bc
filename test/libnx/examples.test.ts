// Unmodified libnx homebrew end to end (switch-examples in test/fixtures/libnx): each example is lifted, emitted on
// the horizon personality, built and run with its replayed input script (samples/libnx/<name>), and its captured
// frames are checked against what its source draws. Each is also run as the emulated reference (its original code
// under qemu-aarch64 over the same runtime: docs/reference-emulated.md), which must agree with the recompiled run
// frame for frame and audio window for window.
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { compareRuns, runFilesIn, type RunComparison } from "../../src/reference/index.js";
import { requireTools } from "../helpers/tools.js";

const repo = join(import.meta.dirname, "..", "..");

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

/** The left channel of a 16-bit stereo WAV file. */
async function leftChannel(path: string): Promise<Int16Array> {
  const bytes = await readFile(path);
  for (let at = 12; at + 8 <= bytes.length; at += 8 + bytes.readUInt32LE(at + 4)) {
    if (bytes.toString("latin1", at, at + 4) !== "data") continue;
    const frames = bytes.readUInt32LE(at + 4) / 4;
    return Int16Array.from({ length: frames }, (_, i) => bytes.readInt16LE(at + 8 + i * 4));
  }
  throw new Error(`${path}: no data chunk`);
}

/** The frequency (Hz, 48 kHz samples) and amplitude of the strongest sinusoid: the DTFT's peak, found by a fine scan. */
function sinePeak(samples: ArrayLike<number>): { frequency: number; amplitude: number } {
  const magnitude = (f: number): number => {
    let re = 0;
    let im = 0;
    for (let n = 0; n < samples.length; n++) {
      const phase = (2 * Math.PI * f * n) / 48000;
      re += (samples[n]) * Math.cos(phase);
      im -= (samples[n]) * Math.sin(phase);
    }
    return Math.hypot(re, im);
  };
  let best = 50;
  for (let f = 50; f <= 8000; f += 10) if (magnitude(f) > magnitude(best)) best = f;
  for (let step = 1; step >= 0.01; step /= 10) {
    const centre = best;
    for (let f = centre - 10 * step; f <= centre + 10 * step; f += step) if (magnitude(f) > magnitude(best)) best = f;
  }
  return { frequency: best, amplitude: (2 * magnitude(best)) / samples.length };
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

/** `recomp reference emulate` on the lifted example; returns how its run compares with the recompiled one. */
async function emulatedComparison(dir: string, nro: string, sample: string): Promise<RunComparison> {
  const args = ["--module", join(dir, "lift", "module.json"), "--title", join(sample, "title.toml"), "--input-script", join(sample, "input_script.toml")];
  expect(await main(["node", "recomp", "reference", "emulate", ...args, "--out", join(dir, "emulated"), "--fps", "60", "--self-nro", nro])).toBe(0);
  return compareRuns(runFilesIn(join(dir, "emulated", "run")), runFilesIn(join(dir, "run")));
}

/**
 * Frames and audio agree; the replay logs agree up to the recompiled run's exit (its last line), where the emulated
 * run goes on through libnx's exit path (the recompiled build ends at main's return: docs/reference-emulated.md).
 */
function expectEmulatedAgreement({ frames, log, emulated: comparison }: { frames: string[]; log: string[]; emulated: RunComparison }): void {
  const exitFrame = (JSON.parse(log.at(-1) ?? "{}") as { frame?: number }).frame;
  expect(comparison.frames).toEqual({ reference: frames.length, run: frames.length, first: undefined });
  expect(comparison.audio.first).toBeUndefined();
  expect(comparison.audio.reference).toBe(comparison.audio.run);
  expect(comparison.log.first?.run).toEqual({ kind: "exit", frame: exitFrame });
  expect(comparison.log.first?.reference).toMatchObject({ kind: "ipc", frame: exitFrame });
}

/** Lifts, emits, builds and runs example `name`; returns its frame files (sorted), replay log lines and folder. */
async function runExample(work: string, name: string): Promise<{ frames: string[]; log: string[]; dir: string; emulated: RunComparison }> {
  const dir = join(work, name);
  const nro = join(repo, "test", "fixtures", "libnx", `${name}.nro`);
  const sample = join(repo, "samples", "libnx", name);
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
  const frames = (await readdir(join(dir, "run", "frames"))).sort().map((file) => join(dir, "run", "frames", file));
  const log = (await readFile(join(dir, "run", "replay-log.jsonl"), "utf8")).trim().split("\n");
  return { frames, log, dir, emulated: await emulatedComparison(dir, nro, sample) };
}

describe.runIf(requireTools("cc", "make", "qemu-aarch64", "aarch64-linux-gnu-gcc"))("libnx examples on the horizon personality", () => {
  let work: string | undefined;
  afterAll(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });
  const workDir = async (): Promise<string> => (work ??= await mkdtemp(join(tmpdir(), "recomp-libnx-")));

  it("simplegfx presents every frame in the grey its source computes and exits on the replayed Plus", async () => {
    const example = await runExample(await workDir(), "simplegfx");
    expectEmulatedAgreement(example);
    const { frames, log } = example;
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
  }, 600_000);

  it("hello-world prints Hello World! at row 16, column 20 of libnx's 16x16 console and exits on the replayed Plus", async () => {
    const example = await runExample(await workDir(), "hello-world");
    expectEmulatedAgreement(example);
    const { frames, log } = example;
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
  }, 600_000);

  it("read-controls prints \"<button> down\" on row 6 in the frame of each replayed press, and exits on Plus", async () => {
    const example = await runExample(await workDir(), "read-controls");
    expectEmulatedAgreement(example);
    const { frames, log } = example;
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
  }, 600_000);

  it("playtone plays one 1454-frame buffer of each pressed button's note at 30% of full scale, and silence between", async () => {
    const example = await runExample(await workDir(), "playtone");
    expectEmulatedAgreement(example);
    const { dir } = example;
    const left = await leftChannel(join(dir, "run", "audio.wav"));
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
  }, 600_000);
});
