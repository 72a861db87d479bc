// A fixed, reduced sample of the sensitivity matrix (2 s of 640x360 per clip): re-encodes pass, local faults fail
// inside the edited frames. The full matrix: npx tsx bench/validation-matrix.ts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireTools } from "../helpers/tools.js";
import { correct, edits, judge, makeReference, makeVariant, type Content } from "./sensitivity-matrix.js";

const sample: ReadonlyArray<[Content, string]> = [
  ["game", "x264 CRF 30"],
  ["game", "960x540 CRF 23, normalized to 640x360"],
  ["game", "red box 0.5% of the frame, 3 frames"],
  ["game", "missing 32x32 sprite (16x16 at 320x180)"],
  ["game", "red -8 levels over 2% of the frame"],
  ["noisy", "x264 CRF 30"],
  // The thinnest detection margin of the full matrix (0.882 against 0.90): guards the colour window's chroma tolerance.
  ["testsrc2", "red -8 levels over 2% of the frame"],
  ["noisy", "one black frame"],
];

describe.runIf(requireTools("ffmpeg", "ffprobe"))("perceptual validation sensitivity (reduced matrix)", () => {
  let dir: string;
  const references = new Map<Content, string>();
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "recomp-matrix-"));
    for (const content of new Set(sample.map(([c]) => c))) references.set(content, makeReference(dir, content, 2));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(sample)("%s: %s", async (content, name) => {
    const index = edits.findIndex((e) => e.name === name);
    const edit = edits[index];
    if (edit === undefined) throw new Error(`no edit named ${name}`);
    const reference = references.get(content) as string;
    const outcome = await judge(reference, await makeVariant(dir, content, 2, edit, index), content, edit);
    expect(outcome.passed, JSON.stringify({ failing: outcome.failing, region: outcome.region })).toBe(edit.expectPass);
    expect(correct(outcome)).toBe(true);
    // A fault fails only where it is: no frame outside the edited range fails.
    if (edit.frames !== undefined) expect(outcome.failing.filter((f) => f < (edit.frames?.[0] ?? 0) || f > (edit.frames?.[1] ?? 0))).toEqual([]);
  });
});
