/**
 * formats: a module's `.dynamic` (ELF gABI, found through MOD0) and the relocations it lists:
 * RELA (`DT_RELA`/`DT_JMPREL`, AArch64 types RELATIVE, ABS64, GLOB_DAT, JUMP_SLOT) and RELR
 * (`DT_RELR`, the packed relative form). Offsets are offsets in the module's memory image; every
 * range is checked against it and an error names the dynamic entry or relocation and its offset.
 */
import { fieldError } from "./fields.js";
import type { ModuleImage } from "./eh-frame.js";

export const dynamicTag = {
  null: 0,
  hash: 4,
  strtab: 5,
  symtab: 6,
  rela: 7,
  relasz: 8,
  relaent: 9,
  init: 12,
  fini: 13,
  pltrelsz: 2,
  jmprel: 23,
  relrsz: 35,
  relr: 36,
  relrent: 37,
} as const;

export interface DynamicEntry {
  value: number;
  /** Offset of the entry in the module image. */
  at: number;
}

/** The first entry of each tag, up to DT_NULL. */
export type DynamicTable = Map<number, DynamicEntry>;

/** One place the loader writes a pointer: `*offset = base + addend` (relative) or `symbol + addend`. */
export interface Relocation {
  offset: number;
  kind: "relative" | "relr" | "symbol";
  addend: bigint;
  /** Symbol table index (kind "symbol"). */
  symbol: number;
  /** Where the relocation record is, for errors. */
  at: number;
  field: string;
}

const relocationType = { abs64: 257, globDat: 1025, jumpSlot: 1026, relative: 1027, none: 0 } as const;

function viewOf(image: ModuleImage): DataView {
  return new DataView(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength);
}

/** Reads `.dynamic` at `offset` up to DT_NULL (or the end of the image). */
export function parseDynamic(image: ModuleImage, offset: number): DynamicTable {
  const view = viewOf(image);
  const table: DynamicTable = new Map();
  if (offset % 8 !== 0 || offset + 16 > image.bytes.length) {
    throw fieldError(image.label, "mod0.dynamic_offset", offset, `.dynamic at 0x${offset.toString(16)} is not an aligned table inside the module (0x${image.bytes.length.toString(16)} bytes)`);
  }
  for (let at = offset; at + 16 <= image.bytes.length; at += 16) {
    const tag = view.getBigUint64(at, true);
    if (tag === 0n) break;
    const value = view.getBigUint64(at + 8, true);
    if (tag < 64n && !table.has(Number(tag))) table.set(Number(tag), { value: value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value), at });
  }
  return table;
}

/** The table `[start, start + size)` a pair of dynamic entries names, checked against the image. */
function tableRange(image: ModuleImage, dynamic: DynamicTable, startTag: number, sizeTag: number, name: string): { start: number; size: number } | undefined {
  const start = dynamic.get(startTag);
  const size = dynamic.get(sizeTag);
  if (start === undefined || size === undefined || size.value === 0) return undefined;
  if (start.value + size.value > image.bytes.length) {
    throw fieldError(image.label, `dynamic.${name}`, start.at, `table 0x${start.value.toString(16)}..0x${(start.value + size.value).toString(16)} is outside the module (0x${image.bytes.length.toString(16)} bytes)`, "the module's .dynamic section is corrupt");
  }
  return { start: start.value, size: size.value };
}

/** Every relocation of the module: DT_RELA, DT_JMPREL (RELA form) and DT_RELR. */
export function parseRelocations(image: ModuleImage, dynamic: DynamicTable): Relocation[] {
  const relocations: Relocation[] = [];
  const rela = tableRange(image, dynamic, dynamicTag.rela, dynamicTag.relasz, "DT_RELA");
  if (rela !== undefined) readRela(image, rela, "rela", relocations);
  const plt = tableRange(image, dynamic, dynamicTag.jmprel, dynamicTag.pltrelsz, "DT_JMPREL");
  if (plt !== undefined) readRela(image, plt, "jmprel", relocations);
  const relr = tableRange(image, dynamic, dynamicTag.relr, dynamicTag.relrsz, "DT_RELR");
  if (relr !== undefined) readRelr(image, relr, relocations);
  for (const relocation of relocations) checkTarget(image, relocation);
  return relocations;
}

function readRela(image: ModuleImage, range: { start: number; size: number }, name: string, out: Relocation[]): void {
  const view = viewOf(image);
  for (let i = 0, at = range.start; at + 24 <= range.start + range.size; i++, at += 24) {
    const offset = view.getBigUint64(at, true);
    const info = view.getBigUint64(at + 8, true);
    const addend = view.getBigInt64(at + 16, true);
    const type = Number(info & 0xffffffffn);
    const field = `${name}[${i}]`;
    const common = { offset: offset > 2n ** 52n ? Number.MAX_SAFE_INTEGER : Number(offset), addend, at, field };
    if (type === relocationType.relative) out.push({ ...common, kind: "relative", symbol: 0 });
    else if (type === relocationType.abs64 || type === relocationType.globDat || type === relocationType.jumpSlot) {
      out.push({ ...common, kind: "symbol", symbol: Number(info >> 32n) });
    } else if (type !== relocationType.none) {
      throw fieldError(image.label, `${field}.r_info`, at + 8, `relocation type ${type} is not one a Horizon module uses (RELATIVE, ABS64, GLOB_DAT, JUMP_SLOT)`);
    }
  }
}

/** RELR: an even word is an address to relocate; an odd word is a bitmap of the 63 words after the last address. */
function readRelr(image: ModuleImage, range: { start: number; size: number }, out: Relocation[]): void {
  const view = viewOf(image);
  let next = 0;
  for (let i = 0, at = range.start; at + 8 <= range.start + range.size; i++, at += 8) {
    const entry = view.getBigUint64(at, true);
    const field = `relr[${i}]`;
    if ((entry & 1n) === 0n) {
      const offset = entry > 2n ** 52n ? Number.MAX_SAFE_INTEGER : Number(entry);
      out.push({ offset, kind: "relr", addend: 0n, symbol: 0, at, field });
      next = offset + 8;
      continue;
    }
    for (let bit = 1; bit < 64; bit++) {
      if (((entry >> BigInt(bit)) & 1n) !== 0n) out.push({ offset: next + (bit - 1) * 8, kind: "relr", addend: 0n, symbol: 0, at, field });
    }
    next += 63 * 8;
  }
}

function checkTarget(image: ModuleImage, relocation: Relocation): void {
  if (relocation.offset + 8 > image.bytes.length) {
    const field = relocation.kind === "relr" ? relocation.field : `${relocation.field}.r_offset`;
    throw fieldError(image.label, field, relocation.at, `relocates 0x${relocation.offset.toString(16)}, outside the module (0x${image.bytes.length.toString(16)} bytes)`, "the module's relocation table is corrupt");
  }
}

/** The value of symbol `index` of DT_SYMTAB (module offset), or undefined for an undefined (imported) symbol. */
export function symbolValue(image: ModuleImage, dynamic: DynamicTable, index: number): number | undefined {
  const symtab = dynamic.get(dynamicTag.symtab);
  if (symtab === undefined) return undefined;
  const at = symtab.value + index * 24;
  if (at + 24 > image.bytes.length) {
    throw fieldError(image.label, "dynamic.DT_SYMTAB", symtab.at, `symbol ${index} at 0x${at.toString(16)} is outside the module`);
  }
  const view = viewOf(image);
  if (view.getUint16(at + 6, true) === 0) return undefined;
  return Number(view.getBigUint64(at + 8, true));
}

/** Defined function symbols (STT_FUNC) of DT_SYMTAB; the count is DT_HASH's nchain. */
export function dynamicFunctionSymbols(image: ModuleImage, dynamic: DynamicTable): { name: string; offset: number }[] {
  const symtab = dynamic.get(dynamicTag.symtab);
  const strtab = dynamic.get(dynamicTag.strtab);
  const hash = dynamic.get(dynamicTag.hash);
  if (symtab === undefined || strtab === undefined || hash === undefined) return [];
  const view = viewOf(image);
  if (hash.value + 8 > image.bytes.length) throw fieldError(image.label, "dynamic.DT_HASH", hash.at, `0x${hash.value.toString(16)} is outside the module`);
  const count = view.getUint32(hash.value + 4, true);
  const symbols: { name: string; offset: number }[] = [];
  for (let i = 0; i < count; i++) {
    const at = symtab.value + i * 24;
    if (at + 24 > image.bytes.length) throw fieldError(image.label, "dynamic.DT_SYMTAB", symtab.at, `symbol ${i} at 0x${at.toString(16)} is outside the module`);
    const nameAt = strtab.value + view.getUint32(at, true);
    if ((view.getUint8(at + 4) & 0xf) !== 2 || view.getUint16(at + 6, true) === 0 || nameAt >= image.bytes.length) continue;
    const end = image.bytes.indexOf(0, nameAt);
    symbols.push({ name: Buffer.from(image.bytes.subarray(nameAt, end < 0 ? image.bytes.length : end)).toString("latin1"), offset: Number(view.getBigUint64(at + 8, true)) });
  }
  return symbols;
}
