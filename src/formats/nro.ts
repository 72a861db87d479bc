/**
 * formats: NRO, the homebrew executable (switchbrew "NRO"). The header sits at 0x10; the three
 * segments are stored uncompressed with file offset = memory offset; an optional homebrew asset
 * section ("ASET": icon, NACP, RomFS) follows the NRO's declared size.
 */
import type { ByteSource } from "./byte-source.js";
import { subSource } from "./byte-source.js";
import { FieldView, expectRange, fieldError, readField } from "./fields.js";
import { type Mod0Info, parseMod0 } from "./mod0.js";
import { type AssetSectionName, assetLayout, assetSectionNames, nroLayout, segmentNames } from "./nro-layout.js";
import { type ModuleHeaderInfo, type RodataRelativeRange, type SegmentInfo, checkSegmentOrder, segmentPermissions } from "./segment.js";

export interface AssetRange {
  /** Absolute offset of the section in the NRO file. */
  offset: number;
  size: number;
}

export interface NroAssets {
  /** Absolute offset of the ASET header. */
  offset: number;
  version: number;
  icon?: AssetRange;
  nacp?: AssetRange;
  romfs?: AssetRange;
}

export interface NroInfo extends ModuleHeaderInfo {
  format: "nro";
  /** The NRO's declared size; the asset section, if any, starts here. */
  size: number;
  /** Absent when the rocrt MOD0 offset is 0. */
  mod0?: Mod0Info;
  assets?: NroAssets;
}

export async function parseNro(source: ByteSource): Promise<NroInfo> {
  const label = source.label;
  const header = new FieldView(await readField(source, 0, nroLayout.headerEnd, "header"), 0, label);
  header.expectMagic(nroLayout.magic, "NRO0", "header.magic");
  const size = header.u32(nroLayout.size);
  if (size < nroLayout.headerEnd) throw fieldError(label, "header.size", nroLayout.size, `0x${size.toString(16)} is smaller than the header`);
  expectRange(label, "header.size", nroLayout.size, 0, size, source.size, "file");

  const segments = segmentNames.map((name, i): SegmentInfo => {
    const at = nroLayout.segments + i * 8;
    const offset = header.u32(at);
    const length = header.u32(at + 4);
    expectRange(label, `header.segments.${name}`, at, offset, length, size, "NRO's declared size");
    return { name, fileOffset: offset, fileSize: length, memoryOffset: offset, size: length, compressed: false, permissions: segmentPermissions[name] };
  });
  checkSegmentOrder(label, segments, nroLayout.segments, 8);
  const rodata = segments[1];
  const [apiInfo, dynstr, dynsym] = (["api_info", "dynstr", "dynsym"] as const).map((name, i): RodataRelativeRange => {
    const at = nroLayout.rodataRelative + i * 8;
    const range = { offset: header.u32(at), size: header.u32(at + 4) };
    expectRange(label, `header.${name}`, at, range.offset, range.size, rodata.size, ".rodata segment");
    return range;
  }) as [RodataRelativeRange, RodataRelativeRange, RodataRelativeRange];

  const mod0Offset = header.u32(nroLayout.mod0Offset);
  const info: NroInfo = {
    format: "nro",
    size,
    fileSize: source.size,
    version: header.u32(nroLayout.version),
    flags: header.u32(nroLayout.flags),
    segments,
    bssSize: header.u32(nroLayout.bssSize),
    buildId: header.hex(nroLayout.buildId, nroLayout.buildIdLength),
    apiInfo,
    dynstr,
    dynsym,
  };
  if (mod0Offset !== 0) info.mod0 = await parseMod0(subSource(source, 0, size, `${label} (image)`), mod0Offset);
  if (source.size > size) info.assets = await parseAssets(source, size);
  return info;
}

async function parseAssets(source: ByteSource, start: number): Promise<NroAssets> {
  const label = source.label;
  const regionSize = source.size - start;
  const view = new FieldView(await readField(source, start, assetLayout.headerSize, "assets.header"), start, label);
  view.expectMagic(assetLayout.magic, "ASET", "assets.magic");
  const assets: NroAssets = { offset: start, version: view.u32(assetLayout.version) };
  assetSectionNames.forEach((name: AssetSectionName, i) => {
    const at = assetLayout.sections + i * 16;
    const offset = view.u64(at, `assets.${name}.offset`);
    const length = view.u64(at + 8, `assets.${name}.size`);
    if (length === 0) return;
    expectRange(label, `assets.${name}`, start + at, offset, length, regionSize, "asset section");
    assets[name] = { offset: start + offset, size: length };
  });
  return assets;
}
