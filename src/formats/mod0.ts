/**
 * formats: the MOD0 module header (switchbrew "NSO", MOD0 section), found through the rocrt
 * start at the beginning of .text. Its offsets are signed and relative to the MOD0 header; we
 * return them both as stored and as offsets into the module's memory image.
 */
import type { ByteSource } from "./byte-source.js";
import { FieldView, fieldError, readField } from "./fields.js";

export const mod0Size = 0x1c;

export interface Mod0Info {
  /** Offset of the MOD0 header in the module's memory image. */
  offset: number;
  /** Memory-image offsets (MOD0 offset + stored relative value). */
  dynamicOffset: number;
  bssStart: number;
  bssEnd: number;
  ehFrameHdrStart: number;
  ehFrameHdrEnd: number;
  moduleObjectOffset: number;
}

/** Parses MOD0 at `offset` of `image`, a source addressed by memory offset. */
export async function parseMod0(image: ByteSource, offset: number): Promise<Mod0Info> {
  const bytes = await readField(image, offset, mod0Size, "mod0");
  const view = new FieldView(bytes, offset, image.label);
  view.expectMagic(0, "MOD0", "mod0.magic");
  const at = (rel: number, field: string): number => {
    const value = offset + view.i32(rel);
    if (value < 0) throw fieldError(image.label, field, offset + rel, `points before the start of the module (${value})`);
    return value;
  };
  const info: Mod0Info = {
    offset,
    dynamicOffset: at(0x4, "mod0.dynamic_offset"),
    bssStart: at(0x8, "mod0.bss_start_offset"),
    bssEnd: at(0xc, "mod0.bss_end_offset"),
    ehFrameHdrStart: at(0x10, "mod0.eh_frame_hdr_start_offset"),
    ehFrameHdrEnd: at(0x14, "mod0.eh_frame_hdr_end_offset"),
    moduleObjectOffset: at(0x18, "mod0.module_object_offset"),
  };
  if (info.bssEnd < info.bssStart) throw fieldError(image.label, "mod0.bss_end_offset", offset + 0xc, "bss ends before it starts");
  if (info.ehFrameHdrEnd < info.ehFrameHdrStart) {
    throw fieldError(image.label, "mod0.eh_frame_hdr_end_offset", offset + 0x14, "eh_frame_hdr ends before it starts");
  }
  return info;
}
