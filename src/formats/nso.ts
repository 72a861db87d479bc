/**
 * formats: NSO, the system executable format (switchbrew "NSO"). Every field is read at its real
 * offset: flags at 0xC (bits 0-2 compressed, bits 3-5 hash-checked), segment headers at
 * 0x10/0x20/0x30, compressed sizes at 0x60.., api_info/dynstr/dynsym at 0x88/0x90/0x98 and the
 * segment SHA-256 hashes at 0xA0/0xC0/0xE0.
 */
import { createHash } from "node:crypto";
import { sha256Hex } from "../util/hash.js";
import type { ByteSource } from "./byte-source.js";
import { FieldView, expectRange, fieldError, readField, readFieldInto } from "./fields.js";
import { decompressLz4Block, lz4MaxDecompressedSize } from "./lz4.js";
import { decompressLz4BlockStreamed, type Lz4Sink } from "./lz4-stream.js";
import { type Mod0Info, parseMod0 } from "./mod0.js";
import { segmentNames } from "./nro-layout.js";
import { type ModuleHeaderInfo, type RodataRelativeRange, type SegmentInfo, checkSegmentOrder, segmentPermissions } from "./segment.js";

export const nsoLayout = {
  magic: 0x0,
  version: 0x4,
  flags: 0xc,
  /** {file offset, memory offset, size} at 0x10, 0x20, 0x30 (stride 0x10). */
  segments: 0x10,
  segmentStride: 0x10,
  moduleNameOffset: 0x1c,
  moduleNameSize: 0x2c,
  bssSize: 0x3c,
  moduleId: 0x40,
  /** Stored (compressed) sizes of .text, .rodata, .data. */
  fileSizes: 0x60,
  /** {offset, size} relative to .rodata: api_info, dynstr, dynsym. */
  rodataRelative: 0x88,
  hashes: 0xa0,
  headerSize: 0x100,
} as const;

/** A module name longer than this is not a name. */
const maxModuleNameSize = 0x200;

export interface NsoInfo extends ModuleHeaderInfo {
  format: "nso";
  moduleName: string;
}

export async function parseNso(source: ByteSource): Promise<NsoInfo> {
  const label = source.label;
  const header = new FieldView(await readField(source, 0, nsoLayout.headerSize, "header"), 0, label);
  header.expectMagic(nsoLayout.magic, "NSO0", "header.magic");
  const flags = header.u32(nsoLayout.flags);
  const segments = segmentNames.map((name, i): SegmentInfo => {
    const at = nsoLayout.segments + i * nsoLayout.segmentStride;
    const compressed = (flags & (1 << i)) !== 0;
    const fileSizeAt = nsoLayout.fileSizes + i * 4;
    const segment: SegmentInfo = {
      name,
      fileOffset: header.u32(at),
      memoryOffset: header.u32(at + 4),
      size: header.u32(at + 8),
      fileSize: header.u32(fileSizeAt),
      compressed,
      sha256: header.hex(nsoLayout.hashes + i * 0x20, 0x20),
      hashChecked: (flags & (1 << (i + 3))) !== 0,
      permissions: segmentPermissions[name],
    };
    expectRange(label, `header.${name}_file_size`, fileSizeAt, segment.fileOffset, segment.fileSize, source.size, "file");
    if (!compressed && segment.fileSize !== segment.size) {
      throw fieldError(label, `header.${name}_file_size`, fileSizeAt, `uncompressed segment stores 0x${segment.fileSize.toString(16)} bytes but is 0x${segment.size.toString(16)} bytes long`);
    }
    if (compressed && segment.size > lz4MaxDecompressedSize(segment.fileSize)) {
      throw fieldError(label, `header.segments.${name}.size`, at + 8, `0x${segment.size.toString(16)} bytes cannot come from 0x${segment.fileSize.toString(16)} compressed bytes`);
    }
    return segment;
  });
  checkSegmentOrder(label, segments, nsoLayout.segments + 4, nsoLayout.segmentStride);
  const rodata = segments[1];
  const [apiInfo, dynstr, dynsym] = (["api_info", "dynstr", "dynsym"] as const).map((name, i): RodataRelativeRange => {
    const at = nsoLayout.rodataRelative + i * 8;
    const range = { offset: header.u32(at), size: header.u32(at + 4) };
    expectRange(label, `header.${name}`, at, range.offset, range.size, rodata.size, ".rodata segment");
    return range;
  }) as [RodataRelativeRange, RodataRelativeRange, RodataRelativeRange];
  return {
    format: "nso",
    fileSize: source.size,
    version: header.u32(nsoLayout.version),
    flags,
    segments,
    bssSize: header.u32(nsoLayout.bssSize),
    buildId: header.hex(nsoLayout.moduleId, 0x20),
    moduleName: await readModuleName(source, header),
    apiInfo,
    dynstr,
    dynsym,
  };
}

/** The module name (often a build path) when the header points at a plausible one, else "". */
async function readModuleName(source: ByteSource, header: FieldView): Promise<string> {
  const offset = header.u32(nsoLayout.moduleNameOffset);
  const size = header.u32(nsoLayout.moduleNameSize);
  if (size === 0 || size > maxModuleNameSize || offset + size > source.size) return "";
  const bytes = await source.read(offset, size);
  const end = bytes.indexOf(0);
  return Buffer.from(end === -1 ? bytes : bytes.subarray(0, end)).toString("utf8");
}

/**
 * The loaded bytes of one segment, whole in memory: decompressed when its flag says so, and
 * checked against the header's SHA-256 when its hash-check flag is set.
 */
export async function loadNsoSegment(source: ByteSource, segment: SegmentInfo): Promise<Uint8Array> {
  const field = `segments.${segment.name}`;
  const stored = await readField(source, segment.fileOffset, segment.fileSize, field);
  const bytes = segment.compressed ? decompressLz4Block(stored, segment.size, { label: source.label, field, offset: segment.fileOffset }) : stored;
  checkNsoSegmentHash(source.label, segment, sha256Hex(bytes));
  return bytes;
}

/**
 * Hands one segment's loaded bytes to `sink` in order, in pieces (a compressed segment is
 * decompressed through a small window, so it is never whole in memory), and returns their
 * SHA-256. A hash-checked segment whose hash differs from the header's is an error, raised after
 * the sink has seen every byte: the caller discards what it wrote.
 */
export async function streamNsoSegment(source: ByteSource, segment: SegmentInfo, sink: Lz4Sink): Promise<string> {
  const field = `segments.${segment.name}`;
  const hash = createHash("sha256");
  const hashed: Lz4Sink = (chunk) => {
    hash.update(chunk);
    return sink(chunk);
  };
  if (segment.compressed) {
    const block = { size: segment.fileSize, read: (target: Uint8Array) => readFieldInto(source, segment.fileOffset, target, field) };
    await decompressLz4BlockStreamed(block, segment.size, { label: source.label, field, offset: segment.fileOffset }, hashed);
  } else {
    await hashed(await readField(source, segment.fileOffset, segment.fileSize, field));
  }
  const actual = hash.digest("hex");
  checkNsoSegmentHash(source.label, segment, actual);
  return actual;
}

/** When the segment's hash-check flag is set, a hash other than the header's is an error naming the header field. */
function checkNsoSegmentHash(label: string, segment: SegmentInfo, actual: string): void {
  if (segment.hashChecked === true && actual !== segment.sha256) {
    const index = segmentNames.indexOf(segment.name);
    throw fieldError(
      label,
      `header.${segment.name}_hash`,
      nsoLayout.hashes + index * 0x20,
      `SHA-256 of the loaded segment is ${actual}, the header says ${segment.sha256 ?? "(none)"}`,
      "the segment is corrupt, or was changed without updating the header",
    );
  }
}

/** A loaded segment: its header entry and its bytes, in memory or in a file written from them. */
export interface LoadedNsoSegment {
  info: SegmentInfo;
  source: ByteSource;
}

/** Parses the MOD0 header the rocrt start of .text points at (text + 4, relative to .text). */
export async function parseNsoMod0(label: string, segments: readonly LoadedNsoSegment[]): Promise<Mod0Info | undefined> {
  const text = segments[0];
  if (text === undefined || text.source.size < 8) return undefined;
  const start = await text.source.read(0, 8);
  const relative = new DataView(start.buffer, start.byteOffset, 8).getUint32(4, true);
  if (relative === 0) return undefined;
  return parseMod0(segmentImage(label, segments), text.info.memoryOffset + relative);
}

/** A source addressed by memory offset over loaded segments; a read must lie inside one segment. */
function segmentImage(label: string, segments: readonly LoadedNsoSegment[]): ByteSource {
  const last = segments[segments.length - 1];
  const size = last === undefined ? 0 : last.info.memoryOffset + last.source.size;
  const imageLabel = `${label} (image)`;
  return {
    size,
    label: imageLabel,
    read(offset, length) {
      const segment = segments.find((s) => offset >= s.info.memoryOffset && offset + length <= s.info.memoryOffset + s.source.size);
      if (segment === undefined) {
        return Promise.reject(fieldError(imageLabel, "image", offset, `0x${length.toString(16)} bytes at memory offset 0x${offset.toString(16)} are not inside one segment`));
      }
      return segment.source.read(offset - segment.info.memoryOffset, length);
    },
  };
}
