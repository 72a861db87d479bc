/**
 * formats: XCI game-card images. The 0x200-byte card header (`HEAD` at 0x100, or at 0x1100 when
 * the dump keeps the 0x1000-byte card key area in front) points at the root HFS0, whose entries
 * are the partitions (update, normal, secure, logo), each an HFS0 of its own.
 */
import { createHash } from "node:crypto";
import { RecompError } from "../util/errors.js";
import { subSource, type ByteSource } from "./byte-source.js";
import { readField } from "./fields.js";
import { entrySource, parsePartitionFs, verifyHfs0Entry, type PartitionFs } from "./partition-fs.js";

export const xciMediaUnit = 0x200;
export const xciKeyAreaSize = 0x1000;

export interface XciHeader {
  /** 0, or 0x1000 when the card key area is prepended; every header offset is relative to it. */
  keyAreaPrefix: number;
  secureAreaStartPage: number;
  romSizeCode: number;
  version: number;
  flags: number;
  packageId: string;
  validDataEndPage: number;
  /** Absolute file offset of the root HFS0. */
  rootHfs0Offset: number;
  rootHfs0HeaderSize: number;
  rootHfs0HeaderSha256: string;
}

export interface XciPartition {
  name: string;
  fs: PartitionFs;
  source: ByteSource;
}

export interface XciImage {
  header: XciHeader;
  root: PartitionFs;
  partitions: XciPartition[];
}

async function magicAt(source: ByteSource, offset: number): Promise<string> {
  if (offset + 4 > source.size) return "";
  return Buffer.from(await source.read(offset, 4)).toString("latin1");
}

export async function parseXciHeader(source: ByteSource): Promise<XciHeader> {
  let prefix: number;
  if ((await magicAt(source, 0x100)) === "HEAD") prefix = 0;
  else if ((await magicAt(source, xciKeyAreaSize + 0x100)) === "HEAD") prefix = xciKeyAreaSize;
  else {
    throw new RecompError({
      code: "format_invalid",
      message: 'not an XCI image: no "HEAD" magic at 0x100 or 0x1100',
      location: { file: source.label, offset: 0x100 },
      hint: "pass a game-card image (.xci) as dumped, not an NSP or an encrypted container",
    });
  }
  const head = Buffer.from(await readField(source, prefix, 0x200, "XCI card header"));
  return {
    keyAreaPrefix: prefix,
    secureAreaStartPage: head.readUInt32LE(0x104),
    romSizeCode: head.readUInt8(0x10d),
    version: head.readUInt8(0x10e),
    flags: head.readUInt8(0x10f),
    packageId: head.readBigUInt64LE(0x110).toString(16).padStart(16, "0"),
    validDataEndPage: head.readUInt32LE(0x118),
    rootHfs0Offset: prefix + Number(head.readBigUInt64LE(0x130)),
    rootHfs0HeaderSize: Number(head.readBigUInt64LE(0x138)),
    rootHfs0HeaderSha256: head.toString("hex", 0x140, 0x160),
  };
}

export interface OpenXciOptions {
  /** Check the SHA-256 of every partition and of every file inside them. */
  verify?: boolean;
}

export async function openXci(source: ByteSource, options: OpenXciOptions = {}): Promise<XciImage> {
  const header = await parseXciHeader(source);
  const where = { file: source.label, keyPath: "XCI card header", offset: header.keyAreaPrefix + 0x130 };
  if (header.rootHfs0Offset >= source.size || header.rootHfs0HeaderSize < 0x10 || header.rootHfs0Offset + header.rootHfs0HeaderSize > source.size) {
    throw new RecompError({
      code: "format_invalid",
      message: `XCI root HFS0 (0x${header.rootHfs0Offset.toString(16)}+0x${header.rootHfs0HeaderSize.toString(16)}) lies past the end of the image (0x${source.size.toString(16)} bytes)`,
      location: where,
      hint: "the image is truncated or its header is corrupt",
    });
  }
  const rootHeader = await source.read(header.rootHfs0Offset, header.rootHfs0HeaderSize);
  if (createHash("sha256").update(rootHeader).digest("hex") !== header.rootHfs0HeaderSha256) {
    throw new RecompError({
      code: "format_invalid",
      message: "XCI root HFS0 header does not match the SHA-256 in the card header",
      location: where,
      hint: "the image is corrupt or the root partition offset is wrong",
    });
  }
  const rootSource = subSource(source, header.rootHfs0Offset, source.size - header.rootHfs0Offset, `${source.label}:root`);
  const root = await parsePartitionFs(rootSource, "HFS0", "XCI root HFS0");
  const partitions: XciPartition[] = [];
  for (const entry of root.entries) {
    if (options.verify === true) await verifyHfs0Entry(rootSource, entry, "XCI root HFS0");
    const partitionSource = entrySource(rootSource, entry);
    const fs = await parsePartitionFs(partitionSource, "HFS0", `XCI partition "${entry.name}"`);
    if (options.verify === true) {
      for (const file of fs.entries) await verifyHfs0Entry(partitionSource, file, entry.name);
    }
    partitions.push({ name: entry.name, fs, source: partitionSource });
  }
  return { header, root, partitions };
}
