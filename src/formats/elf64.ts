/**
 * formats: ELF64 little-endian AArch64 executables: the file header, program headers and the GNU
 * build id note, and the function symbols of .symtab (what the lifter takes as function starts).
 */
import type { ByteSource } from "./byte-source.js";
import { FieldView, fieldError, readField } from "./fields.js";

export const elfProgramType = { load: 1, note: 4 } as const;
export const elfSegmentFlags = { execute: 1, write: 2, read: 4 } as const;
const machineAarch64 = 183;
const headerSize = 0x40;
const programHeaderSize = 0x38;
const noteGnuBuildId = 3;

export interface ElfProgramHeader {
  index: number;
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  fileSize: number;
  memSize: number;
}

export interface Elf64 {
  entry: number;
  programHeaders: ElfProgramHeader[];
}

export async function parseElf64(source: ByteSource): Promise<Elf64> {
  const header = new FieldView(await readField(source, 0, headerSize, "elf.header"), 0, source.label);
  const magic = Buffer.from(header.slice(0, 4)).toString("latin1");
  if (magic !== "\x7fELF") throw fieldError(source.label, "elf.magic", 0, `expected "\\x7fELF", found ${JSON.stringify(magic)}`, "this is not an ELF file");
  if (header.u8(4) !== 2 || header.u8(5) !== 1) {
    throw fieldError(source.label, "elf.ident", 4, "not a 64-bit little-endian ELF", "link with aarch64-linux-gnu-gcc");
  }
  // u16 fields, read as the low half of a u32 (all inside the 0x40-byte header).
  const u16 = (at: number): number => header.u32(at) & 0xffff;
  const machine = u16(0x12);
  if (machine !== machineAarch64) throw fieldError(source.label, "elf.e_machine", 0x12, `machine ${machine} is not AArch64 (183)`);
  const phoff = header.u64(0x20, "elf.e_phoff");
  const phentsize = u16(0x36);
  const phnum = u16(0x38);
  if (phentsize !== programHeaderSize) throw fieldError(source.label, "elf.e_phentsize", 0x36, `program header size ${phentsize}, expected ${programHeaderSize}`);

  const table = new FieldView(await readField(source, phoff, phnum * programHeaderSize, "elf.program_headers"), phoff, source.label);
  const programHeaders: ElfProgramHeader[] = [];
  for (let index = 0; index < phnum; index++) {
    const at = index * programHeaderSize;
    const field = `elf.program_headers[${index}]`;
    const ph: ElfProgramHeader = {
      index,
      type: table.u32(at),
      flags: table.u32(at + 4),
      offset: table.u64(at + 8, `${field}.p_offset`),
      vaddr: table.u64(at + 16, `${field}.p_vaddr`),
      fileSize: table.u64(at + 32, `${field}.p_filesz`),
      memSize: table.u64(at + 40, `${field}.p_memsz`),
    };
    if (ph.memSize < ph.fileSize) throw fieldError(source.label, `${field}.p_memsz`, phoff + at + 40, "is smaller than p_filesz");
    programHeaders.push(ph);
  }
  return { entry: header.u64(0x18, "elf.e_entry"), programHeaders };
}

/** The file bytes of a segment. */
export function readSegment(source: ByteSource, ph: ElfProgramHeader): Promise<Uint8Array> {
  return readField(source, ph.offset, ph.fileSize, `elf.program_headers[${ph.index}]`);
}

/** The descriptor of the NT_GNU_BUILD_ID note in the PT_NOTE segments, if any. */
export async function readGnuBuildId(source: ByteSource, elf: Elf64): Promise<Uint8Array | undefined> {
  for (const ph of elf.programHeaders.filter((p) => p.type === elfProgramType.note)) {
    const notes = new FieldView(await readSegment(source, ph), ph.offset, source.label);
    for (let at = 0; at + 12 <= notes.bytes.length; ) {
      const nameSize = notes.u32(at);
      const descSize = notes.u32(at + 4);
      const type = notes.u32(at + 8);
      const nameAt = at + 12;
      const descAt = nameAt + align4(nameSize);
      if (descAt + descSize > notes.bytes.length) throw fieldError(source.label, "elf.note", ph.offset + at, "note runs past its segment");
      if (type === noteGnuBuildId && notes.cString(nameAt, nameSize) === "GNU") return notes.slice(descAt, descSize);
      at = descAt + align4(descSize);
    }
  }
  return undefined;
}

function align4(value: number): number {
  return (value + 3) & ~3;
}

const sectionHeaderSize = 0x40;
const symbolSize = 24;
const sectionTypeSymtab = 2;
const symbolTypeFunc = 2;

export interface ElfFunctionSymbol {
  name: string;
  address: bigint;
  /** st_size: the function's extent in bytes (0 when the symbol does not say). */
  size: bigint;
}

/**
 * Defined function symbols (STT_FUNC, local ones too) of the .symtab sections, in table order;
 * none when the file is stripped. Static programs reach some code only through pointers the lifter
 * cannot see (constructors in .init_array, in the executable segment): the symbols name it.
 */
export async function readElfFunctionSymbols(source: ByteSource): Promise<ElfFunctionSymbol[]> {
  const header = new FieldView(await readField(source, 0, headerSize, "elf.header"), 0, source.label);
  const shoff = header.u64(0x28, "elf.e_shoff");
  const shentsize = header.u32(0x3a) & 0xffff;
  const shnum = header.u32(0x3c) & 0xffff;
  if (shoff === 0 || shnum === 0) return [];
  if (shentsize !== sectionHeaderSize) throw fieldError(source.label, "elf.e_shentsize", 0x3a, `section header size ${shentsize}, expected ${sectionHeaderSize}`);
  const sections = new FieldView(await readField(source, shoff, shnum * sectionHeaderSize, "elf.section_headers"), shoff, source.label);
  const symbols: ElfFunctionSymbol[] = [];
  for (let index = 0; index < shnum; index++) {
    const at = index * sectionHeaderSize;
    if (sections.u32(at + 4) !== sectionTypeSymtab) continue;
    const field = `elf.section_headers[${index}]`;
    const table = new FieldView(await readField(source, sections.u64(at + 0x18, `${field}.sh_offset`), sections.u64(at + 0x20, `${field}.sh_size`), `${field} (symtab)`), 0, source.label);
    const link = sections.u32(at + 0x28);
    if (link >= shnum) throw fieldError(source.label, `${field}.sh_link`, shoff + at + 0x28, `string table section ${link} does not exist (${shnum} sections)`);
    const linkAt = link * sectionHeaderSize;
    const strings = await readField(source, sections.u64(linkAt + 0x18, `elf.section_headers[${link}].sh_offset`), sections.u64(linkAt + 0x20, `elf.section_headers[${link}].sh_size`), `elf.section_headers[${link}] (strtab)`);
    for (let entry = 0; entry + symbolSize <= table.bytes.length; entry += symbolSize) {
      const nameAt = table.u32(entry);
      const defined = (table.u32(entry + 4) >>> 16) !== 0;
      if ((table.u8(entry + 4) & 0xf) !== symbolTypeFunc || !defined || nameAt >= strings.length) continue;
      const end = strings.indexOf(0, nameAt);
      const name = Buffer.from(strings.subarray(nameAt, end < 0 ? strings.length : end)).toString("latin1");
      const view = new DataView(table.bytes.buffer, table.bytes.byteOffset);
      symbols.push({ name, address: view.getBigUint64(entry + 8, true), size: view.getBigUint64(entry + 16, true) });
    }
  }
  return symbols;
}
