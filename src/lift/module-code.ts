// lift: what a module's MOD0 tells about its code before any instruction is decoded: every FDE's
// range (.eh_frame through .eh_frame_hdr, or walked when the header's table is empty), the
// functions .dynamic names (DT_INIT, DT_FINI, DT_SYMTAB), and its data as the loader leaves it
// (RELA and RELR applied), so that code pointers stored in data can be recognised.
import { dynamicFunctionSymbols, dynamicTag, parseDynamic, parseRelocations, symbolValue, type DynamicTable } from "../formats/dynamic.js";
import { parseEhFrameHdr, tableFdes, walkEhFrame, type FdeRange, type ModuleImage } from "../formats/eh-frame.js";
import { fieldError } from "../formats/fields.js";
import type { Mod0Info } from "../formats/mod0.js";
import type { FunctionEntry } from "./cfg.js";
import type { LiftSegment } from "./code-image.js";

/** A code range `[start, end)` in guest addresses. */
export interface AddressRange {
  start: bigint;
  end: bigint;
}

/** A module's segments as mapped relative to its base (memory offset = address - base). */
export interface ModuleSegment extends LiftSegment {
  memoryOffset: number;
}

export interface ModuleCode {
  fdes: AddressRange[];
  /** DT_INIT, DT_FINI and DT_SYMTAB's function symbols. */
  roots: FunctionEntry[];
  /** The segments with the module's relocations applied (for discovery only: see `moduleCode`). */
  relocated: LiftSegment[];
}

/** The module's memory image: every segment's bytes at its memory offset (bss not included). */
function flatImage(segments: readonly ModuleSegment[], label: string): ModuleImage {
  const size = Math.max(0, ...segments.map((s) => s.memoryOffset + s.bytes.length));
  const bytes = new Uint8Array(size);
  for (const segment of segments) bytes.set(segment.bytes, segment.memoryOffset);
  return { bytes, label };
}

/**
 * Reads MOD0's unwind and dynamic tables. The images recomp writes stay as stored: the module's
 * own start code applies its relocations at run time (RELR adds the base, so applying them twice
 * would be wrong); only discovery sees the relocated data.
 */
export function moduleCode(label: string, segments: readonly ModuleSegment[], mod0: Mod0Info | undefined, base: bigint): ModuleCode {
  const image = flatImage(segments, label);
  const text = segments.filter((s) => s.permissions.execute);
  if (mod0 === undefined) return { fdes: [], roots: [], relocated: [...segments] };
  const fdes = unwindRanges(image, mod0, segments, text).map((fde) => ({ start: base + BigInt(fde.start), end: base + BigInt(fde.end) }));
  const dynamic = parseDynamic(image, mod0.dynamicOffset);
  const relocatedBytes = relocate(image, dynamic, base);
  const relocated = segments.map((s) => ({ ...s, bytes: relocatedBytes.subarray(s.memoryOffset, s.memoryOffset + s.bytes.length) }));
  const roots: FunctionEntry[] = [];
  for (const [tag, name] of [[dynamicTag.init, "_init"], [dynamicTag.fini, "_fini"]] as const) {
    const entry = dynamic.get(tag);
    if (entry !== undefined && inCode(text, entry.value)) roots.push({ name, address: base + BigInt(entry.value) });
  }
  for (const symbol of dynamicFunctionSymbols(image, dynamic)) {
    if (inCode(text, symbol.offset)) roots.push({ name: symbol.name, address: base + BigInt(symbol.offset) });
  }
  return { fdes, roots, relocated };
}

function inCode(text: readonly ModuleSegment[], offset: number, end = offset + 1): boolean {
  return text.some((s) => offset >= s.memoryOffset && end <= s.memoryOffset + s.bytes.length);
}

/** Every FDE: through the header's table when it has one, else by walking `.eh_frame`; each must lie in the module's code. */
function unwindRanges(image: ModuleImage, mod0: Mod0Info, segments: readonly ModuleSegment[], text: readonly ModuleSegment[]): FdeRange[] {
  const header = parseEhFrameHdr(image, mod0.ehFrameHdrStart, mod0.ehFrameHdrEnd);
  const start = header?.ehFrame ?? mod0.ehFrameHdrEnd;
  const home = segments.find((s) => start >= s.memoryOffset && start < s.memoryOffset + s.bytes.length);
  if (home === undefined) {
    if (header === undefined) return [];
    throw fieldError(image.label, "eh_frame_hdr.eh_frame_ptr", mod0.ehFrameHdrStart + 4, `points to 0x${start.toString(16)}, outside the module`, "the module's .eh_frame_hdr is corrupt");
  }
  // With no header, .eh_frame follows where it would have been; walk it only if a CIE is there.
  if (header === undefined && !startsWithCie(image, start)) return [];
  const limit = home.memoryOffset + home.bytes.length;
  const fdes = header === undefined || header.starts.length === 0 ? walkEhFrame(image, start, limit) : tableFdes(image, header, limit);
  for (const fde of fdes) {
    if (!inCode(text, fde.start, Math.max(fde.end, fde.start + 1))) {
      throw fieldError(image.label, `eh_frame[0x${fde.record.toString(16)}].pc_begin`, fde.record + 8, `function 0x${fde.start.toString(16)}..0x${fde.end.toString(16)} is outside the module's code`, "the module's .eh_frame is corrupt");
    }
  }
  return fdes;
}

function startsWithCie(image: ModuleImage, at: number): boolean {
  if (at + 9 > image.bytes.length) return false;
  const view = new DataView(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength);
  const version = view.getUint8(at + 8);
  return view.getUint32(at, true) >= 8 && view.getUint32(at + 4, true) === 0 && (version === 1 || version === 3);
}

/** A copy of the image with every relocation applied at load base `base`. */
function relocate(image: ModuleImage, dynamic: DynamicTable, base: bigint): Uint8Array {
  const bytes = image.bytes.slice();
  const view = new DataView(bytes.buffer);
  for (const relocation of parseRelocations(image, dynamic)) {
    const at = relocation.offset;
    if (relocation.kind === "relr") view.setBigUint64(at, BigInt.asUintN(64, view.getBigUint64(at, true) + base), true);
    else if (relocation.kind === "relative") view.setBigUint64(at, BigInt.asUintN(64, base + relocation.addend), true);
    else {
      const value = symbolValue(image, dynamic, relocation.symbol);
      if (value !== undefined) view.setBigUint64(at, BigInt.asUintN(64, base + BigInt(value) + relocation.addend), true);
    }
  }
  return bytes;
}
