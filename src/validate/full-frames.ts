// validate: full-size PNGs of the first failing frame pair and their amplified difference, written beside the report.
import { existsSync } from "node:fs";
import { rename } from "node:fs/promises";
import { join } from "node:path";
import { ffmpegBinary, openFrameInput, quietArgs, runTool, type FfmpegOptions } from "../media/index.js";

export const fullFrameNames = {
  reference: "validation-first-failure-reference.png",
  capture: "validation-first-failure-capture.png",
  difference: "validation-first-failure-difference.png",
} as const;

export interface FramePick {
  /** A video file or frames folder, or undefined when the side is known only by its hash list. */
  input: string | undefined;
  frame: number;
}

async function writeFrame(pick: FramePick & { input: string }, file: string, options: FfmpegOptions): Promise<void> {
  const source = await openFrameInput(pick.input);
  const partial = `${file}.partial.png`;
  try {
    await runTool(ffmpegBinary(options), [
      ...quietArgs, "-y", ...source.args, "-map", "0:v:0", "-vf", `select=eq(n\\,${pick.frame})`, "-fps_mode", "passthrough",
      "-frames:v", "1", "-pix_fmt", "rgb24", "-bitexact", partial,
    ], `extracting frame ${pick.frame} of ${pick.input}`);
    await rename(partial, file);
  } finally {
    await source.dispose();
  }
}

/**
 * Extracts both frames at full size and a difference image (|reference - capture| per channel, x4, the
 * capture scaled to the reference size first). Returns the names written, or undefined when a side
 * has no media to read the frame from.
 */
export async function writeFullFrames(outDir: string, reference: FramePick, capture: FramePick, options: FfmpegOptions): Promise<typeof fullFrameNames | undefined> {
  const { input: refInput } = reference;
  const { input: capInput } = capture;
  if (refInput === undefined || capInput === undefined || !existsSync(refInput) || !existsSync(capInput)) return undefined;
  const refFile = join(outDir, fullFrameNames.reference);
  const capFile = join(outDir, fullFrameNames.capture);
  const diffFile = join(outDir, fullFrameNames.difference);
  await writeFrame({ ...reference, input: refInput }, refFile, options);
  await writeFrame({ ...capture, input: capInput }, capFile, options);
  const partial = `${diffFile}.partial.png`;
  await runTool(ffmpegBinary(options), [
    ...quietArgs, "-y", "-i", refFile, "-i", capFile, "-filter_complex",
    "[0:v]format=gbrp[r];[1:v][r]scale2ref[c][r2];[c]format=gbrp[c2];[r2][c2]blend=all_mode=difference,lutrgb=r='min(val*4,255)':g='min(val*4,255)':b='min(val*4,255)',format=rgb24",
    "-frames:v", "1", "-bitexact", partial,
  ], "drawing the difference of the first failing frames");
  await rename(partial, diffFile);
  return fullFrameNames;
}
