// The sensitivity matrix of perceptual validation (issue 14): contents x edits, each judged by the frame
// comparison. Re-encodes and a scale through the normalisation profile must pass; local faults must fail.
// The suite runs a fixed reduced sample; bench/validation-matrix.ts runs it all and prints the table.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { extractPerceptualFeatures, normalizeMedia } from "../../src/media/index.js";
import { compareFrames } from "../../src/validate/frame-compare.js";
import { asOpenedFeatures } from "../../src/validate/sides.js";

export const width = 640;
export const height = 360;
export const fps = 30;

export type Content = "testsrc2" | "game" | "noisy";
export const contents: readonly Content[] = ["testsrc2", "game", "noisy"];

/** A lavfi graph ending in [v]: `seconds` of the content at 640x360 (16x16 at 320x180 is 32x32 here). */
function source(content: Content, seconds: number, sprite: string): string {
  const size = `s=${width}x${height}:r=${fps}:d=${seconds}`;
  if (content === "testsrc2") return `testsrc2=${size}[v]`;
  if (content === "noisy") return `testsrc2=${size},noise=alls=24:allf=t+u[v]`;
  // A tiled backdrop, a HUD of small digits (testsrc draws its own), a moving 32x32 sprite and a still one.
  return (
    `color=c=0x224466:${size},drawgrid=w=32:h=32:c=0x2f5a80[bg];testsrc=s=160x40:r=${fps}:d=${seconds}[hud];` +
    `color=c=yellow:s=32x32:r=${fps}:d=${seconds}[s1];color=c=0xff4040:s=32x32:r=${fps}:d=${seconds}[s2];` +
    `[bg][hud]overlay=8:8[a];[a][s1]overlay=x='mod(40+t*90\\,560)':y=200[b];[b][s2]overlay=x=480:y=120${sprite}[v]`
  );
}

export interface Edit {
  name: string;
  /** True when validation must pass. */
  expectPass: boolean;
  /** Reference frames the fault covers [first, last], for faults. */
  frames?: readonly [number, number];
  /** Filter applied to [v] ending in [w], or a sprite switch for the game scene. */
  filter?: string;
  sprite?: string;
  crf: number;
  /** Encoded at another size, then scaled back by `recomp normalize`'s profile. */
  viaSize?: string;
  contents?: readonly Content[];
}

// 0.5% of 640x360 is 1152 pixels: a 34x34 box. 2% is 4608: a 68x68 patch.
export const edits: readonly Edit[] = [
  { name: "x264 CRF 18", expectPass: true, crf: 18 },
  { name: "x264 CRF 23", expectPass: true, crf: 23 },
  { name: "x264 CRF 30", expectPass: true, crf: 30 },
  { name: "960x540 CRF 23, normalized to 640x360", expectPass: true, crf: 23, viaSize: "960x540" },
  { name: "red box 0.5% of the frame, 3 frames", expectPass: false, crf: 23, frames: [20, 22], filter: "drawbox=x=300:y=150:w=34:h=34:c=red:t=fill:enable='between(n,20,22)'" },
  { name: "grey box 0.5% of the frame, 3 frames", expectPass: false, crf: 23, frames: [20, 22], filter: "drawbox=x=100:y=250:w=34:h=34:c=gray:t=fill:enable='between(n,20,22)'" },
  {
    name: "red -8 levels over 2% of the frame",
    expectPass: false,
    crf: 23,
    frames: [20, 40],
    filter: "split[p][q];[q]crop=68:68:200:120,lutrgb=r='max(val-8\\,0)'[r];[p][r]overlay=200:120:format=rgb:enable='between(n,20,40)'",
  },
  { name: "one black frame", expectPass: false, crf: 23, frames: [30, 30], filter: "drawbox=c=black:t=fill:enable='eq(n,30)'" },
  { name: "missing 32x32 sprite (16x16 at 320x180)", expectPass: false, crf: 23, frames: [20, 40], sprite: ":enable='not(between(n,20,40))'", contents: ["game"] },
];

function ffmpeg(...args: string[]): void {
  execFileSync("ffmpeg", ["-nostdin", "-v", "error", "-y", ...args], { stdio: ["ignore", "ignore", "inherit"] });
}

export function makeReference(dir: string, content: Content, seconds: number): string {
  const file = join(dir, `${content}-reference.mkv`);
  ffmpeg("-f", "lavfi", "-i", "nullsrc=s=16x16:d=0.1", "-filter_complex", `${source(content, seconds, "")};[v]format=rgb24[w]`, "-map", "[w]", "-c:v", "ffv1", file);
  return file;
}

export async function makeVariant(dir: string, content: Content, seconds: number, edit: Edit, index: number): Promise<string> {
  const file = join(dir, `${content}-${index}.mp4`);
  // Reference and captures all pass through RGB once, so an edit made in RGB changes nothing else.
  const graph = `${source(content, seconds, edit.sprite ?? "")};[v]format=rgb24,${edit.filter ?? "null"}${edit.viaSize === undefined ? "" : `,scale=${edit.viaSize.replace("x", ":")}`}[w]`;
  ffmpeg("-f", "lavfi", "-i", "nullsrc=s=16x16:d=0.1", "-filter_complex", graph, "-map", "[w]", "-c:v", "libx264", "-preset", "veryfast", "-crf", String(edit.crf), "-pix_fmt", "yuv420p", file);
  if (edit.viaSize === undefined) return file;
  const normalized = join(dir, `${content}-${index}-normalized.mkv`);
  await normalizeMedia({ input: file, output: normalized, profile: { width, height, fps, audioSampleRate: 48000, audioChannels: 2 } });
  return normalized;
}

export interface Outcome {
  content: Content;
  edit: Edit;
  passed: boolean;
  /** Failing reference frames, and the lowest similarity. */
  failing: number[];
  minSimilarity: number;
  /** Where the worst run differs most, when it fails. */
  region: string | undefined;
}

export async function judge(reference: string, capture: string, content: Content, edit: Edit, frameSimilarityMin = 0.9): Promise<Outcome> {
  const [ref, cap] = await Promise.all([extractPerceptualFeatures(reference), extractPerceptualFeatures(capture)]);
  const n = ref.phashes.length;
  const comparison = compareFrames({
    reference: { hashes: undefined, features: asOpenedFeatures(ref) },
    capture: { hashes: undefined, features: asOpenedFeatures(cap) },
    referenceFps: fps,
    captureFps: fps,
    window: { start: 0, end: n },
    mode: "perceptual",
    frameSimilarityMin,
    maxDriftFrames: 2,
  });
  const failing = comparison.detail.matched.flatMap((m, i) => (m ? [] : [i]));
  const r = comparison.section.mismatch_runs[0]?.worst_region;
  return {
    content,
    edit,
    passed: failing.length === 0,
    failing,
    minSimilarity: Math.min(...comparison.detail.similarity.map((s) => s ?? 0)),
    region: r === undefined ? undefined : `${r.width}x${r.height} at (${r.x}, ${r.y}), frame ${r.reference_frame}, ${r.channel} ${r.difference}`,
  };
}

/** Whether an outcome is right: passes when it must, fails (inside the edited frames) when it must. */
export function correct(o: Outcome): boolean {
  if (o.edit.expectPass) return o.passed;
  const [first, last] = o.edit.frames ?? [0, Number.MAX_SAFE_INTEGER];
  return !o.passed && o.failing.some((f) => f >= first && f <= last);
}
