/**
 * formats: NRO field offsets (switchbrew "NRO"), shared by the parser and the builder.
 * Offsets are from the start of the file; the NRO header proper starts at 0x10, after the
 * 0x10-byte "rocrt" start (a branch and the MOD0 offset) that belongs to .text.
 */
export const nroLayout = {
  mod0Offset: 0x4,
  magic: 0x10,
  version: 0x14,
  size: 0x18,
  flags: 0x1c,
  /** Three {memory offset, size} pairs: .text, .rodata, .data. In an NRO file offset = memory offset. */
  segments: 0x20,
  bssSize: 0x38,
  buildId: 0x40,
  buildIdLength: 0x20,
  dsoHandleOffset: 0x60,
  /** Three {offset, size} pairs relative to .rodata: .api_info, .dynstr, .dynsym. */
  rodataRelative: 0x68,
  headerEnd: 0x80,
} as const;

/** The homebrew asset section at the NRO's declared size: "ASET", version, then icon, NACP, RomFS. */
export const assetLayout = {
  magic: 0x0,
  version: 0x4,
  /** Three {offset u64, size u64} pairs, offsets relative to the asset header. */
  sections: 0x8,
  headerSize: 0x38,
} as const;

export const assetSectionNames = ["icon", "nacp", "romfs"] as const;
export type AssetSectionName = (typeof assetSectionNames)[number];

export const segmentNames = ["text", "rodata", "data"] as const;
export type SegmentName = (typeof segmentNames)[number];

/** Segments are mapped at page granularity. */
export const pageSize = 0x1000;

export function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}
