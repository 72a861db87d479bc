// validate: full-size PNGs of the first failing frame pair and their amplified difference, written beside the report.
import { existsSync } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { colourThumbChain, ffmpegBinary, listFrameFiles, quietArgs, runTool, type FfmpegOptions } from "../media/index.js";
import { ByteCollector, runRawPipes } from "../media/raw-pipe.js";
import { RecompError } from "../util/errors.js";

export const fullFrameNames = {
  reference: "validation-first-failure-reference.png",
  capture: "validation-first-failure-capture.png",
  difference: "validation-first-failure-difference.png",
} as const;

export interface FramePick {
  /** A video file or frames folder, or undefined when the side is known only by its hash list. */
  input: string | undefined;
  frame: number;
  /** The side's declared frame rate: where to seek for the frame. */
  fps: number;
  /** The frame's stored colour thumbnail: proves that the frame found by seeking is the frame asked for. */
  thumb: Uint8Array;
}

export type Pick = FramePick & { input: string };

/** A frames folder's frame is its image, in the order the features were made (natural order). */
async function writeImage(image: string, partial: string, options: FfmpegOptions): Promise<void> {
  await runTool(ffmpegBinary(options), [...quietArgs, "-y", "-i", image, "-frames:v", "1", "-pix_fmt", "rgb24", "-bitexact", partial], `converting ${image}`);
}

/**
 * Seeks (input `-ss`, which decodes from the keyframe before and drops frames before that time) to half
 * a frame before the frame's time at the declared rate, and writes the first frame there, with its colour
 * thumbnail made as the features' were. True when that thumbnail is the stored one: the frame is then
 * the frame asked for (a variable frame rate, another start time or a wrong declared rate gives another).
 */
export async function writeSeekedFrame(pick: Pick, partial: string, options: FfmpegOptions): Promise<boolean> {
  const thumb = new ByteCollector();
  const seek = pick.frame === 0 ? [] : ["-ss", ((pick.frame - 0.5) / pick.fps).toFixed(6)];
  await runRawPipes(ffmpegBinary(options), [
    ...quietArgs, "-y", ...seek, "-i", pick.input, "-filter_complex", `[0:v:0]split=2[full][col];[col]${colourThumbChain}[thumb]`,
    "-map", "[full]", "-frames:v", "1", "-pix_fmt", "rgb24", "-bitexact", partial,
    "-map", "[thumb]", "-frames:v", "1", "-f", "rawvideo", "pipe:1",
  ], [thumb], `extracting frame ${pick.frame} of ${pick.input}`);
  return Buffer.from(pick.thumb).equals(thumb.bytes());
}

/** Decodes from the start and selects the frame by its index: always right, slow for a late frame of a long video. */
async function writeSelected(pick: Pick, partial: string, options: FfmpegOptions): Promise<void> {
  await runTool(ffmpegBinary(options), [
    ...quietArgs, "-y", "-i", pick.input, "-map", "0:v:0", "-vf", `select=eq(n\\,${pick.frame})`, "-fps_mode", "passthrough",
    "-frames:v", "1", "-pix_fmt", "rgb24", "-bitexact", partial,
  ], `extracting frame ${pick.frame} of ${pick.input}`);
}

async function writeFrame(pick: Pick, file: string, options: FfmpegOptions): Promise<void> {
  const partial = `${file}.partial.png`;
  try {
    if ((await stat(pick.input)).isDirectory()) {
      const image = (await listFrameFiles(pick.input))[pick.frame];
      if (image === undefined) {
        throw new RecompError({
          code: "input_mismatch",
          message: `the frames folder holds no frame ${pick.frame}, which its hashes and features describe`,
          location: { file: pick.input },
          hint: "the folder changed since it was hashed: hash it again with `recomp hash-frames`",
        });
      }
      await writeImage(image, partial, options);
    } else if (!(await writeSeekedFrame(pick, partial, options))) {
      await writeSelected(pick, partial, options);
    }
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
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
