// lift: load addresses and segment images from the inputs the lifter accepts: NRO, static ELF, raw images.
import { readFile } from "node:fs/promises";
import { parseElf64, readElfFunctionSymbols, readSegment, elfProgramType, elfSegmentFlags } from "../formats/elf64.js";
import { withFileSource, type ByteSource } from "../formats/byte-source.js";
import { parseNro } from "../formats/nro.js";
import { readField } from "../formats/fields.js";
import { RecompError } from "../util/errors.js";
import type { FunctionEntry } from "./cfg.js";
import type { LiftSegment } from "./code-image.js";
import { moduleCode, type AddressRange } from "./module-code.js";

export interface LiftImage {
  segments: LiftSegment[];
  entry: bigint;
  /** Function symbols the image exports (MOD0 dynamic symbols), besides the entry point. */
  symbols: FunctionEntry[];
  /** Every FDE's code range (MOD0's .eh_frame): each start is a function. */
  fdes?: AddressRange[];
  /** The segments with the module's relocations applied, for finding code pointers in data. */
  relocated?: LiftSegment[];
}

const permissionsOf = (text: string): LiftSegment["permissions"] => ({
  read: text[0] === "r",
  write: text[1] === "w",
  execute: text[2] === "x",
});

/** A static AArch64 ELF: every PT_LOAD segment at its virtual address; entry = e_entry; .symtab's functions. */
export function imageFromElf(path: string): Promise<LiftImage> {
  return withFileSource(path, path, async (source) => {
    const elf = await parseElf64(source);
    const segments: LiftSegment[] = [];
    for (const ph of elf.programHeaders.filter((p) => p.type === elfProgramType.load)) {
      segments.push({
        name: `load${segments.length}`,
        base: BigInt(ph.vaddr),
        bytes: ph.fileSize === 0 ? new Uint8Array(0) : await readSegment(source, ph),
        size: ph.memSize,
        permissions: {
          read: (ph.flags & elfSegmentFlags.read) !== 0,
          write: (ph.flags & elfSegmentFlags.write) !== 0,
          execute: (ph.flags & elfSegmentFlags.execute) !== 0,
        },
      });
    }
    return { segments, entry: BigInt(elf.entry), symbols: await readElfFunctionSymbols(source) };
  });
}

/** An NRO mapped at `base`: text, rodata, data (+bss); entry = start of text; MOD0 symbols, FDEs and relocations. */
export function imageFromNro(path: string, base: bigint): Promise<LiftImage> {
  return withFileSource(path, path, async (source) => {
    const nro = await parseNro(source);
    const segments = [];
    for (const segment of nro.segments) {
      const bytes = await readField(source, segment.fileOffset, segment.fileSize, `segments.${segment.name}`);
      const bss = segment.name === "data" ? nro.bssSize : 0;
      segments.push({
        name: segment.name,
        base: base + BigInt(segment.memoryOffset),
        memoryOffset: segment.memoryOffset,
        bytes,
        size: segment.size + bss,
        permissions: permissionsOf(segment.permissions),
        file: { label: path, offset: segment.fileOffset },
      });
    }
    const rodata = nro.segments[1];
    const symbols = rodata === undefined ? [] : await dynamicSymbols(source, rodata.fileOffset, nro.dynsym, nro.dynstr, base);
    const code = moduleCode(path, segments, nro.mod0, base);
    return {
      segments: segments.map(({ memoryOffset: _, ...segment }) => segment),
      entry: base + BigInt(nro.segments[0]?.memoryOffset ?? 0),
      symbols: [...symbols, ...code.roots],
      fdes: code.fdes,
      relocated: code.relocated,
    };
  });
}

interface Range {
  offset: number;
  size: number;
}

/** Defined function symbols (STT_FUNC) of an Elf64_Sym table. */
export async function dynamicSymbols(source: ByteSource, rodataAt: number, dynsym: Range, dynstr: Range, base: bigint): Promise<FunctionEntry[]> {
  if (dynsym.size < 24 || dynstr.size === 0) return [];
  const table = await readField(source, rodataAt + dynsym.offset, dynsym.size, "dynsym");
  const strings = await readField(source, rodataAt + dynstr.offset, dynstr.size, "dynstr");
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const symbols: FunctionEntry[] = [];
  for (let at = 0; at + 24 <= table.length; at += 24) {
    const nameAt = view.getUint32(at, true);
    const type = view.getUint8(at + 4) & 0xf;
    const section = view.getUint16(at + 6, true);
    const value = view.getBigUint64(at + 8, true);
    const size = view.getBigUint64(at + 16, true);
    if (type !== 2 || section === 0 || nameAt >= strings.length) continue;
    const end = strings.indexOf(0, nameAt);
    const name = Buffer.from(strings.subarray(nameAt, end < 0 ? strings.length : end)).toString("latin1");
    symbols.push(size === 0n ? { name, address: base + value } : { name, address: base + value, size });
  }
  return symbols;
}

/** Raw images: `name:base:file[:perms[:size]]`, e.g. `text:0x10000000:text.bin:r-x`. */
export async function imageFromFiles(specs: readonly string[], entry: bigint): Promise<LiftImage> {
  const segments: LiftSegment[] = [];
  for (const spec of specs) {
    const [name = "", base = "", file = "", perms = "r-x", size] = spec.split(":");
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || !/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(base) || file === "" || !/^[r-][w-][x-]$/.test(perms)) {
      throw new RecompError({
        code: "usage",
        message: `bad segment "${spec}"`,
        hint: "write NAME:BASE:FILE[:PERMS[:SIZE]], e.g. text:0x10000000:text.bin:r-x",
      });
    }
    const bytes = new Uint8Array(await readFile(file));
    segments.push({ name, base: BigInt(base), bytes, size: size === undefined ? bytes.length : Number(size), permissions: permissionsOf(perms) });
  }
  return { segments, entry, symbols: [] };
}
