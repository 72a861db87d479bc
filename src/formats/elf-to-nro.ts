/**
 * formats: packs a linked AArch64 ELF into an NRO (what switch-tools' elf2nro does): the three
 * PT_LOAD segments become .text, .rodata and .data at their page-aligned addresses, the bss size
 * covers the rest of the data segment's memory, the GNU build id goes into the header, and the
 * MOD0 header the image carries (its offset at 0x4) is checked.
 */
import { RecompError } from "../util/errors.js";
import type { ByteSource } from "./byte-source.js";
import { elfProgramType, elfSegmentFlags, parseElf64, readGnuBuildId, readSegment, type ElfProgramHeader } from "./elf64.js";
import { buildNro } from "./nro-build.js";
import { alignUp, nroLayout, pageSize, segmentNames } from "./nro-layout.js";

export interface PackedNro {
  nro: Uint8Array;
  segments: { name: string; offset: number; size: number }[];
  bssSize: number;
  mod0Offset: number;
  buildId: string;
}

const { read, write, execute } = elfSegmentFlags;
const expectedFlags = [read | execute, read, read | write];
const layoutHint = "link with one PT_LOAD per segment, page-aligned from address 0 (see samples/demo/src/guest.ld)";

function layoutError(label: string, message: string): RecompError {
  return new RecompError({ code: "format_invalid", message, location: { file: label }, hint: layoutHint });
}

function flagText(flags: number): string {
  return `${flags & read ? "r" : "-"}${flags & write ? "w" : "-"}${flags & execute ? "x" : "-"}`;
}

/** The three loadable segments, checked against the NRO layout (file offset = memory offset). */
function nroSegments(label: string, loads: ElfProgramHeader[], entry: number): ElfProgramHeader[] {
  if (loads.length !== 3 || loads.some((ph, i) => (ph.flags & 7) !== expectedFlags[i])) {
    throw layoutError(label, `expected three PT_LOAD segments r-x, r--, rw- in address order; found ${loads.map((ph) => flagText(ph.flags)).join(", ") || "none"}`);
  }
  const [text, rodata, data] = loads as [ElfProgramHeader, ElfProgramHeader, ElfProgramHeader];
  if (entry !== 0 || text.vaddr !== 0) throw layoutError(label, `the entry point (0x${entry.toString(16)}) and .text must be at address 0`);
  if (text.fileSize < nroLayout.headerEnd) throw layoutError(label, `.text is 0x${text.fileSize.toString(16)} bytes; it must hold the 0x80-byte NRO start and header`);
  const rodataAt = alignUp(text.fileSize, pageSize);
  const dataAt = rodataAt + alignUp(rodata.fileSize, pageSize);
  for (const [ph, name, at] of [[rodata, "rodata", rodataAt], [data, "data", dataAt]] as const) {
    if (ph.vaddr !== at) throw layoutError(label, `.${name} is at 0x${ph.vaddr.toString(16)}, the NRO layout puts it at 0x${at.toString(16)}`);
  }
  for (const ph of [text, rodata]) {
    if (ph.memSize !== ph.fileSize) throw layoutError(label, `segment ${ph.index} has zero-fill; only the data segment may (bss)`);
  }
  return [text, rodata, data];
}

export async function elfToNro(source: ByteSource): Promise<PackedNro> {
  const elf = await parseElf64(source);
  const loads = elf.programHeaders.filter((ph) => ph.type === elfProgramType.load && ph.memSize > 0).sort((a, b) => a.vaddr - b.vaddr);
  const [textPh, rodataPh, dataPh] = nroSegments(source.label, loads, elf.entry) as [ElfProgramHeader, ElfProgramHeader, ElfProgramHeader];
  const [text, rodata, data] = await Promise.all([textPh, rodataPh, dataPh].map((ph) => readSegment(source, ph))) as [Uint8Array, Uint8Array, Uint8Array];
  const buildId = (await readGnuBuildId(source, elf)) ?? new Uint8Array(0);
  if (buildId.length > nroLayout.buildIdLength) throw layoutError(source.label, `the GNU build id is ${buildId.length} bytes; an NRO holds at most 32`);

  const dataEnd = dataPh.vaddr + alignUp(data.length, pageSize);
  const bssSize = alignUp(dataPh.vaddr + dataPh.memSize, pageSize) - dataEnd;
  const mod0Offset = new DataView(text.buffer, text.byteOffset, text.byteLength).getUint32(nroLayout.mod0Offset, true);
  const nro = buildNro({ text, rodata, data, bssSize, buildId, mod0Offset });
  if (mod0Offset + 4 > nro.length || Buffer.from(nro.subarray(mod0Offset, mod0Offset + 4)).toString("latin1") !== "MOD0") {
    throw new RecompError({
      code: "format_invalid",
      message: `the MOD0 offset at 0x4 (0x${mod0Offset.toString(16)}) does not point at a "MOD0" header in the image`,
      location: { file: source.label, offset: mod0Offset },
      hint: "the start of .text must be a branch, then the offset of a MOD0 header (see samples/demo/src/guest_start.S)",
    });
  }
  const view = new DataView(nro.buffer, nro.byteOffset, nro.byteLength);
  return {
    nro,
    segments: segmentNames.map((name, i) => ({ name, offset: view.getUint32(nroLayout.segments + i * 8, true), size: view.getUint32(nroLayout.segments + i * 8 + 4, true) })),
    bssSize: view.getUint32(nroLayout.bssSize, true),
    mod0Offset,
    buildId: Buffer.from(buildId).toString("hex"),
  };
}
