// intake: one homebrew module (NRO or NSO) read, its segments written, and its module.json entry.
import { writeFile } from "node:fs";
import { mkdir } from "node:fs/promises";
import { promisify } from "node:util";
import { dirname, join } from "node:path";
import type { IntakeFileRecord, IntakeModuleEntry } from "../config/intake-module.js";
import type { ByteSource } from "../formats/byte-source.js";
import type { Mod0Info } from "../formats/mod0.js";
import { parseNro, type NroInfo } from "../formats/nro.js";
import { decodeNsoSegment, nsoSegmentSha256, parseNso, parseNsoMod0 } from "../formats/nso.js";
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

// fs/promises writes in 512 KiB steps, each waiting for this thread; the callback form hands the
// whole segment to one write on the thread pool.
const writeWhole = promisify(writeFile);

interface LoadedSegment {
  bytes: Uint8Array;
  sha256: string;
}

/**
 * Reads one module and writes its segments under `root` (`segments/<module>/<segment>.bin`).
 * Segments load together, and each is written while it is being hashed: decompression, hashing
 * and writing of different segments overlap on the thread pool. `root` is a staging folder the
 * caller discards on any error, so a hash mismatch found after a write leaves nothing behind.
 */
export async function loadModule(source: ByteSource, module: ModuleInput, root: string): Promise<LoadedModule> {
  const store = async (segment: SegmentInfo, bytes: Uint8Array, sha256: () => string): Promise<LoadedSegment> => {
    const target = join(root, ...segmentFile(module.name, segment.name).split("/"));
    await mkdir(dirname(target), { recursive: true });
    // The write goes to the thread pool first; the hash runs here meanwhile (hashing in place:
    // WebCrypto would copy the segment first, which costs more than it saves).
    const [, digest] = await Promise.all([writeWhole(target, bytes), Promise.resolve().then(sha256)]);
    return { bytes, sha256: digest };
  };
  if (module.format === "nro") {
    const info = await parseNro(source);
    const segments = await Promise.all(
      info.segments.map(async (segment) => {
        const bytes = await readField(source, segment.fileOffset, segment.size, `segments.${segment.name}`);
        return store(segment, bytes, () => sha256Hex(bytes));
      }),
    );
    return { ...loaded(module, info, segments, info.mod0), nro: info };
  }
  const info = await parseNso(source);
  const segments = await Promise.all(
    info.segments.map(async (segment) => {
      const bytes = await decodeNsoSegment(source, segment);
      return store(segment, bytes, () => nsoSegmentSha256(source.label, segment, bytes));
    }),
  );
  const mod0 = await parseNsoMod0(source.label, info.segments.map((segment, i) => ({ info: segment, bytes: segments[i].bytes })));
  return loaded(module, info, segments, mod0);
}

function loaded(module: ModuleInput, info: ModuleHeader, segments: readonly LoadedSegment[], mod0: Mod0Info | undefined): LoadedModule {
  const entry = moduleEntry(module, info, segments, mod0);
  return { entry, files: entry.segments.map((segment, i) => ({ path: segment.file, sha256: segment.sha256, size: segments[i].bytes.length })) };
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

/** Where a segment's loaded bytes go, relative to the intake folder. */
export function segmentFile(module: string, segment: string): string {
  return `segments/${module}/${segment}.bin`;
}
