/**
 * formats: NPDM, the program metadata (`main.npdm` in an ExeFS; switchbrew "NPDM"): the META header
 * names the program (0x10 bytes at 0x20) and its version (u32 at 0x18) and points at the ACI0, whose program id (u64 at +0x10)
 * is the title id the kernel runs it under. Only what `recomp init` reads is parsed.
 */
import type { ByteSource } from "./byte-source.js";
import { FieldView, readField } from "./fields.js";

export interface NpdmInfo {
  /** META name (e.g. "Application"); empty when the field is all zeros. */
  name: string;
  /** ACI0 program id: 16 lowercase hex digits. */
  programId: string;
  /** META version (u32 at 0x18). */
  version: number;
}

const metaSize = 0x80;
const aci0HeaderSize = 0x40;

export async function parseNpdm(source: ByteSource): Promise<NpdmInfo> {
  const meta = new FieldView(await readField(source, 0, metaSize, "META header"), 0, source.label);
  meta.expectMagic(0, "META", "META.magic");
  const aci0Offset = meta.u32(0x70);
  const aci0 = new FieldView(await readField(source, aci0Offset, aci0HeaderSize, "ACI0 header"), aci0Offset, source.label);
  aci0.expectMagic(0, "ACI0", "ACI0.magic");
  return { name: meta.cString(0x20, 0x10), programId: aci0.hex64(0x10), version: meta.u32(0x18) };
}
