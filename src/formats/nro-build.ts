/**
 * formats: builds an NRO from segment bytes (the layout switch-tools' elf2nro produces): segments
 * page-aligned with file offset = memory offset, the header written over .text bytes 0x10..0x80,
 * and an optional ASET asset section (icon, NACP, RomFS) after the declared size.
 * Used by the fixture builders and by `recomp tools elf2nro`.
 */
import { RecompError } from "../util/errors.js";
import { alignUp, assetLayout, assetSectionNames, nroLayout, pageSize } from "./nro-layout.js";

export interface RodataRange {
  /** Offset relative to the start of .rodata. */
  offset: number;
  size: number;
}

export interface NroBuildInput {
  /** .text bytes; its first 0x80 bytes hold the rocrt start and room for the header (overwritten). */
  text: Uint8Array;
  rodata: Uint8Array;
  data: Uint8Array;
  bssSize: number;
  /** GNU build id (up to 32 bytes), zero-padded into the header. */
  buildId?: Uint8Array;
  /** When set, written at 0x4 (the rocrt MOD0 offset, relative to the start of .text). */
  mod0Offset?: number;
  apiInfo?: RodataRange;
  dynstr?: RodataRange;
  dynsym?: RodataRange;
  assets?: { icon?: Uint8Array; nacp?: Uint8Array; romfs?: Uint8Array };
}

function usage(message: string): RecompError {
  return new RecompError({ code: "usage", message: `NRO builder: ${message}` });
}

export function buildNro(input: NroBuildInput): Uint8Array {
  if (input.text.length < nroLayout.headerEnd) throw usage(`.text must be at least 0x${nroLayout.headerEnd.toString(16)} bytes (it holds the header)`);
  if (input.buildId !== undefined && input.buildId.length > nroLayout.buildIdLength) throw usage("build id is longer than 32 bytes");
  const textSize = alignUp(input.text.length, pageSize);
  const rodataOffset = textSize;
  const rodataSize = alignUp(input.rodata.length, pageSize);
  const dataOffset = rodataOffset + rodataSize;
  const dataSize = alignUp(input.data.length, pageSize);
  const nroSize = dataOffset + dataSize;
  const assets = input.assets === undefined ? undefined : buildAssetSection(input.assets);
  const out = new Uint8Array(nroSize + (assets?.length ?? 0));
  out.set(input.text, 0);
  out.set(input.rodata, rodataOffset);
  out.set(input.data, dataOffset);
  if (assets !== undefined) out.set(assets, nroSize);

  const view = new DataView(out.buffer);
  if (input.mod0Offset !== undefined) view.setUint32(nroLayout.mod0Offset, input.mod0Offset, true);
  out.fill(0, nroLayout.magic, nroLayout.headerEnd);
  out.set(Buffer.from("NRO0", "latin1"), nroLayout.magic);
  view.setUint32(nroLayout.size, nroSize, true);
  const segments: [number, number][] = [
    [0, textSize],
    [rodataOffset, rodataSize],
    [dataOffset, dataSize],
  ];
  segments.forEach(([offset, size], i) => {
    view.setUint32(nroLayout.segments + i * 8, offset, true);
    view.setUint32(nroLayout.segments + i * 8 + 4, size, true);
  });
  view.setUint32(nroLayout.bssSize, alignUp(input.bssSize, pageSize), true);
  if (input.buildId !== undefined) out.set(input.buildId, nroLayout.buildId);
  [input.apiInfo, input.dynstr, input.dynsym].forEach((range, i) => {
    if (range === undefined) return;
    view.setUint32(nroLayout.rodataRelative + i * 8, range.offset, true);
    view.setUint32(nroLayout.rodataRelative + i * 8 + 4, range.size, true);
  });
  return out;
}

/** The ASET header followed by the icon, NACP and RomFS in that order. */
function buildAssetSection(assets: NonNullable<NroBuildInput["assets"]>): Uint8Array {
  const parts = assetSectionNames.map((name) => assets[name] ?? new Uint8Array(0));
  const total = assetLayout.headerSize + parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(Buffer.from("ASET", "latin1"), assetLayout.magic);
  view.setUint32(assetLayout.version, 0, true);
  let offset = assetLayout.headerSize;
  parts.forEach((part, i) => {
    // An absent section is recorded as offset 0, size 0, as hbmenu's tools do.
    const entry = assetLayout.sections + i * 16;
    view.setBigUint64(entry, BigInt(part.length === 0 ? 0 : offset), true);
    view.setBigUint64(entry + 8, BigInt(part.length), true);
    out.set(part, offset);
    offset += part.length;
  });
  return out;
}
