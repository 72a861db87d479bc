// intake: reading one homebrew module (NRO or NSO) into its loaded segments and module.json entry.
import type { IntakeModuleEntry } from "../config/intake-module.js";
import type { ByteSource } from "../formats/byte-source.js";
import type { Mod0Info } from "../formats/mod0.js";
import { parseNro, type NroInfo } from "../formats/nro.js";
import { loadNsoSegment, parseNso, parseNsoMod0 } from "../formats/nso.js";
import type { SegmentInfo } from "../formats/segment.js";
import { readField } from "../formats/fields.js";
import { sha256Hex } from "../util/hash.js";

export interface LoadedModule {
  entry: IntakeModuleEntry;
  /** Loaded bytes per segment, in text, rodata, data order. */
  segments: Uint8Array[];
  /** The NRO's parsed header, for its asset section. */
  nro?: NroInfo;
}

export interface ModuleInput {
  name: string;
  format: "nro" | "nso";
  /** The input as provenance lists it. */
  input: { path: string; sha256: string; size: number };
}

export async function loadModule(source: ByteSource, module: ModuleInput): Promise<LoadedModule> {
  if (module.format === "nro") {
    const info = await parseNro(source);
    const segments = await Promise.all(info.segments.map((s) => readField(source, s.fileOffset, s.size, `segments.${s.name}`)));
    return { entry: moduleEntry(module, info, segments, info.mod0), segments, nro: info };
  }
  const info = await parseNso(source);
  // Together: one segment's SHA-256 check runs off the main thread while the next decompresses.
  const segments = await Promise.all(info.segments.map((segment) => loadNsoSegment(source, segment)));
  const mod0 = await parseNsoMod0(source.label, info.segments.map((segment, i) => ({ info: segment, bytes: segments[i] })));
  return { entry: moduleEntry(module, info, segments, mod0), segments };
}

function moduleEntry(
  module: ModuleInput,
  info: { segments: SegmentInfo[]; bssSize: number; buildId: string } & Record<"apiInfo" | "dynstr" | "dynsym", { offset: number; size: number }>,
  segments: readonly Uint8Array[],
  mod0: Mod0Info | undefined,
): IntakeModuleEntry {
  const data = info.segments[2];
  return {
    name: module.name,
    format: module.format,
    input: module.input,
    build_id: info.buildId,
    segments: info.segments.map((segment, i) => ({
      name: segment.name,
      file: segmentFile(module.name, segment.name),
      // A hash-checked NSO segment was just verified against the header: no need to hash it again.
      sha256: segment.hashChecked === true && segment.sha256 !== undefined ? segment.sha256 : sha256Hex(segments[i]),
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
