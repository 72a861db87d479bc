/**
 * media: what ffprobe found in a file, kept in recomp's cache folder (probe/, one small JSON file per media
 * path) and used again while the file and the ffprobe binary are the ones probed: same (device, inode, size,
 * mtime, ctime) of both, as the engine's file digests are keyed (engine/hash-cache.ts; ctime catches a file
 * rewritten with its old mtime put back). Re-validation from stored features probed both clips each run:
 * 0.18 s of CPU per probe, as much as a fifth of the whole run. Failures are not kept: they probe again.
 */
import { readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../util/atomic-write.js";
import { canonicalJson } from "../util/canonical-json.js";
import { sha256Hex } from "../util/hash.js";
import { searchPath } from "../util/program-path.js";
import { recompCacheDir } from "../util/recomp-cache.js";
import { ffprobeBinary, type FfmpegOptions } from "./ffmpeg-tool.js";
import { probeMedia, type MediaInfo } from "./probe.js";

const fileState = z
  .object({
    dev: z.string().describe("device number"),
    ino: z.string().describe("inode number"),
    size: z.string().describe("size in bytes"),
    mtime_ns: z.string().describe("modification time, ns"),
    ctime_ns: z.string().describe("status change time, ns"),
  })
  .describe("a file's identity: as long as these are the same, its bytes are");
type FileState = z.infer<typeof fileState>;

const rational = z.object({ num: z.number(), den: z.number() });

const probeEntry = z
  .object({
    file: z.string().describe("absolute path of the media file"),
    file_state: fileState,
    ffprobe: z.string().describe("absolute path of the ffprobe binary that probed it"),
    ffprobe_state: fileState,
    info: z
      .object({
        toolVersion: z.string(),
        durationSeconds: z.number().optional(),
        video: z.object({ width: z.number(), height: z.number(), frameRate: rational, pixelFormat: z.string(), codec: z.string() }).optional(),
        audio: z.object({ sampleRate: z.number(), channels: z.number(), codec: z.string() }).optional(),
      })
      .describe("what probeMedia returned"),
  })
  .describe("one cached probe of a media file");

async function stateOf(path: string): Promise<FileState> {
  const info = await stat(path, { bigint: true });
  return { dev: String(info.dev), ino: String(info.ino), size: String(info.size), mtime_ns: String(info.mtimeNs), ctime_ns: String(info.ctimeNs) };
}

function sameState(a: FileState, b: FileState): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtime_ns === b.mtime_ns && a.ctime_ns === b.ctime_ns;
}

/** The file a command name runs, found on PATH as the child process will find it; undefined when not found. */
function onPath(command: string): string | undefined {
  if (command.includes("/")) return resolve(command);
  const { found } = searchPath(command);
  return found === undefined ? undefined : resolve(found);
}

/** The probe stored for `file` when it is still valid: the same media file and ffprobe binary as then. */
async function storedProbe(entryFile: string, file: string, fileNow: FileState, tool: string, toolNow: FileState): Promise<MediaInfo | undefined> {
  try {
    const parsed = probeEntry.safeParse(JSON.parse(await readFile(entryFile, "utf8")));
    if (!parsed.success) return undefined;
    const entry = parsed.data;
    const valid = entry.file === file && entry.ffprobe === tool && sameState(entry.file_state, fileNow) && sameState(entry.ffprobe_state, toolNow);
    const { toolVersion, durationSeconds, video, audio } = entry.info;
    return valid ? { toolVersion, durationSeconds, video, audio } : undefined;
  } catch {
    return undefined;
  }
}

/** `probeMedia(file)`, from recomp's cache when the file and ffprobe are unchanged since it was stored. */
export async function probeMediaCached(file: string, options: FfmpegOptions = {}, cacheDir = recompCacheDir()): Promise<MediaInfo> {
  const tool = onPath(ffprobeBinary(options));
  if (cacheDir === undefined || tool === undefined) return probeMedia(file, options);
  const path = resolve(file);
  const [fileNow, toolNow] = await Promise.all([stateOf(path), stateOf(tool)]).catch(() => [undefined, undefined]);
  if (fileNow === undefined || toolNow === undefined) return probeMedia(file, options);
  const entryFile = join(cacheDir, "probe", `${sha256Hex(`${path}\0${tool}`)}.json`);
  const stored = await storedProbe(entryFile, path, fileNow, tool, toolNow);
  if (stored !== undefined) return stored;
  const info = await probeMedia(file, options);
  // A cache that cannot be written only costs the next run a probe.
  await writeFileAtomic(entryFile, canonicalJson({ file: path, file_state: fileNow, ffprobe: tool, ffprobe_state: toolNow, info })).catch(() => undefined);
  return info;
}
