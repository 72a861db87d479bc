// media: a frames input is a folder of PNG/PPM images (natural order) or a video file; both become ffmpeg input args.
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join, resolve } from "node:path";
import { RecompError } from "../util/errors.js";
import { naturalCompare } from "./natural-sort.js";

const frameExtensions = new Set([".png", ".ppm"]);

export interface FrameInput {
  /** ffmpeg arguments that open the input (ending with `-i X`). */
  args: string[];
  /** A file ffprobe can read to learn the frame size: the video, or the first image. */
  probeFile: string;
  /** Removes temporary files (the concat list of a folder). */
  dispose(): Promise<void>;
}

/** PNG/PPM files of a folder in natural order; other files are ignored. */
export async function listFrameFiles(folder: string): Promise<string[]> {
  const names = (await readdir(folder)).filter((name) => frameExtensions.has(extname(name).toLowerCase()));
  names.sort(naturalCompare);
  const kinds = new Set(names.map((name) => extname(name).toLowerCase()));
  if (kinds.size > 1) {
    throw new RecompError({
      code: "format_unsupported",
      message: "the frames folder mixes PNG and PPM files",
      location: { file: folder },
      hint: "keep one image format per folder",
    });
  }
  return names.map((name) => join(folder, name));
}

function concatLine(file: string): string {
  return `file '${resolve(file).replace(/'/g, "'\\''")}'`;
}

export async function openFrameInput(input: string): Promise<FrameInput> {
  const info = await stat(input).catch(() => undefined);
  if (info === undefined) {
    throw new RecompError({ code: "input_missing", message: "frames input does not exist", location: { file: input } });
  }
  if (!info.isDirectory()) return { args: ["-i", input], probeFile: input, dispose: async () => {} };
  const files = await listFrameFiles(input);
  const first = files[0];
  if (first === undefined) {
    throw new RecompError({
      code: "input_missing",
      message: "the frames folder holds no .png or .ppm files",
      location: { file: input },
      hint: "point at the folder the extract_frames command writes, or at the capture video",
    });
  }
  const dir = await mkdtemp(join(tmpdir(), "recomp-frames-"));
  const list = join(dir, "frames.ffconcat");
  await writeFile(list, `ffconcat version 1.0\n${files.map(concatLine).join("\n")}\n`);
  return {
    args: ["-f", "concat", "-safe", "0", "-i", list],
    probeFile: first,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
