// intake: one homebrew module (NRO or NSO) read, its segments written, and its module.json entry.
import { mkdir, open } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { IntakeFileRecord, IntakeModuleEntry } from "../config/intake-module.js";
import { openFileSource, type ByteSource, type FileByteSource } from "../formats/byte-source.js";
import type { Mod0Info } from "../formats/mod0.js";
import { parseNro, type NroInfo } from "../formats/nro.js";
import type { Lz4Sink } from "../formats/lz4-stream.js";
import { parseNso, parseNsoMod0, streamNsoSegment, type LoadedNsoSegment } from "../formats/nso.js";
import type { SegmentInfo } from "../formats/segment.js";
import { readField } from "../formats/fields.js";
import { sha256Hex } from "../util/hash.js";

export interface LoadedModule {
  entry: IntakeModuleEntry;
  /** The segment files written, relative to the intake folder. */
  files: IntakeFileRecord[];
  /** The NRO's parsed header, for its asset section. */
  nro?: NroInfo;
}

export interface ModuleInput {
  name: string;
  format: "nro" | "nso";
  /** The input as provenance lists it. */
  input: { path: string; sha256: string; size: number };
}

interface LoadedSegment {
  sha256: string;
  size: number;
}

/**
 * Reads one module and writes its segments under `root` (`segments/<module>/<segment>.bin`).
 * A compressed NSO segment streams: it is decompressed through a small window, hashed and written
 * piece by piece, never whole in memory. `root` is a staging folder the caller discards on any
 * error, so a hash mismatch found after the write leaves nothing behind.
 */
export async function loadModule(source: ByteSource, module: ModuleInput, root: string): Promise<LoadedModule> {
  const targetOf = (segment: SegmentInfo): string => segmentPath(root, module.name, segment.name);
  if (module.format === "nro") {
    const info = await parseNro(source);
    const segments: LoadedSegment[] = [];
    for (const segment of info.segments) {
      segments.push(
        await writeSegment(targetOf(segment), async (sink) => {
          const bytes = await readField(source, segment.fileOffset, segment.size, `segments.${segment.name}`);
          await sink(bytes);
          return sha256Hex(bytes);
        }),
      );
    }
    return { ...loaded(module, info, segments, info.mod0), nro: info };
  }
  const info = await parseNso(source);
  const segments: LoadedSegment[] = [];
  for (const segment of info.segments) segments.push(await writeSegment(targetOf(segment), (sink) => streamNsoSegment(source, segment, sink)));
  const mod0 = await withSegmentFiles(info.segments, module.name, root, (files) => parseNsoMod0(source.label, files));
  return loaded(module, info, segments, mod0);
}

/** Writes the pieces `produce` hands to its sink to `target`; `produce` returns their SHA-256. */
async function writeSegment(target: string, produce: (sink: Lz4Sink) => Promise<string>): Promise<LoadedSegment> {
  await mkdir(dirname(target), { recursive: true });
  const file = await open(target, "w");
  let size = 0;
  try {
    // Each piece at its own offset: the writes run on the thread pool while the next piece
    // decodes, and need not finish in order.
    const sha256 = await produce(async (piece) => {
      const at = size;
      size += piece.length;
      for (let done = 0; done < piece.length; ) done += (await file.write(piece, done, piece.length - done, at + done)).bytesWritten;
    });
    return { sha256, size };
  } finally {
    await file.close();
  }
}

/** Runs `body` over the segment files just written (MOD0 is read back from them), then closes them. */
async function withSegmentFiles<T>(segments: readonly SegmentInfo[], module: string, root: string, body: (files: LoadedNsoSegment[]) => Promise<T>): Promise<T> {
  const sources: FileByteSource[] = [];
  try {
    for (const segment of segments) sources.push(await openFileSource(segmentPath(root, module, segment.name), segmentFile(module, segment.name)));
    return await body(segments.map((info, i) => ({ info, source: sources[i] })));
  } finally {
    await Promise.all(sources.map((source) => source.close()));
  }
}

function loaded(module: ModuleInput, info: ModuleHeader, segments: readonly LoadedSegment[], mod0: Mod0Info | undefined): LoadedModule {
  const entry = moduleEntry(module, info, segments, mod0);
  return { entry, files: entry.segments.map((segment, i) => ({ path: segment.file, sha256: segment.sha256, size: segments[i].size })) };
}

type ModuleHeader = { segments: SegmentInfo[]; bssSize: number; buildId: string } & Record<"apiInfo" | "dynstr" | "dynsym", { offset: number; size: number }>;

function moduleEntry(module: ModuleInput, info: ModuleHeader, segments: readonly LoadedSegment[], mod0: Mod0Info | undefined): IntakeModuleEntry {
  const data = info.segments[2];
  return {
    name: module.name,
    format: module.format,
    input: module.input,
    build_id: info.buildId,
    segments: info.segments.map((segment, i) => ({
      name: segment.name,
      file: segmentFile(module.name, segment.name),
      sha256: segments[i].sha256,
      file_offset: segment.fileOffset,
      file_size: segment.fileSize,
      compressed: segment.compressed,
      memory_offset: segment.memoryOffset,
      size: segment.size,
      permissions: segment.permissions,
    })),
    bss: { memory_offset: data.memoryOffset + data.size, size: info.bssSize },
    mod0:
      mod0 === undefined
        ? null
        : {
            offset: mod0.offset,
            dynamic_offset: mod0.dynamicOffset,
            bss_start: mod0.bssStart,
            bss_end: mod0.bssEnd,
            eh_frame_hdr_start: mod0.ehFrameHdrStart,
            eh_frame_hdr_end: mod0.ehFrameHdrEnd,
            module_object_offset: mod0.moduleObjectOffset,
          },
    api_info: info.apiInfo,
    dynstr: info.dynstr,
    dynsym: info.dynsym,
  };
}

/** The segment file's path under the intake (staging) folder `root`. */
function segmentPath(root: string, module: string, segment: string): string {
  return join(root, ...segmentFile(module, segment).split("/"));
}

/** Where a segment's loaded bytes go, relative to the intake folder. */
export function segmentFile(module: string, segment: string): string {
  return `segments/${module}/${segment}.bin`;
}
