// formats: the description of one loadable segment, shared by NRO and NSO.
import { fieldError } from "./fields.js";
import type { SegmentName } from "./nro-layout.js";

export type SegmentPermissions = "r-x" | "r--" | "rw-";

export const segmentPermissions: Record<SegmentName, SegmentPermissions> = {
  text: "r-x",
  rodata: "r--",
  data: "rw-",
};

export interface SegmentInfo {
  name: SegmentName;
  /** Where the stored bytes are in the file. */
  fileOffset: number;
  /** Stored size (compressed size when compressed). */
  fileSize: number;
  /** Where the segment is mapped, relative to the module base. */
  memoryOffset: number;
  /** Size once loaded (decompressed). */
  size: number;
  compressed: boolean;
  /** SHA-256 of the loaded bytes as the header declares it (NSO only). */
  sha256?: string;
  /** Whether the loader checks `sha256` (NSO flag bits 3-5). */
  hashChecked?: boolean;
  permissions: SegmentPermissions;
}

/** An `{offset, size}` range relative to .rodata (api_info, dynstr, dynsym). */
export interface RodataRelativeRange {
  offset: number;
  size: number;
}

/** What the NRO and NSO headers both declare about the module they hold. */
export interface ModuleHeaderInfo {
  fileSize: number;
  version: number;
  flags: number;
  segments: SegmentInfo[];
  bssSize: number;
  /** 32 bytes of module id as hex (the GNU build id, zero-padded). */
  buildId: string;
  apiInfo: RodataRelativeRange;
  dynstr: RodataRelativeRange;
  dynsym: RodataRelativeRange;
}

/** Segments must be mapped in order text, rodata, data without overlapping. */
export function checkSegmentOrder(label: string, segments: readonly SegmentInfo[], headerOffset: number, stride: number): void {
  for (let i = 1; i < segments.length; i += 1) {
    const previous = segments[i - 1];
    const current = segments[i];
    if (current.memoryOffset < previous.memoryOffset + previous.size) {
      throw fieldError(
        label,
        `header.segments.${current.name}`,
        headerOffset + i * stride,
        `memory offset 0x${current.memoryOffset.toString(16)} overlaps ${previous.name} (ends at 0x${(previous.memoryOffset + previous.size).toString(16)})`,
      );
    }
  }
}
