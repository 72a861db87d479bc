/**
 * formats/testing: writes real-format XCI images from files on disk: card header, root HFS0 of
 * partitions, each partition an HFS0 of the files (NCAs), optionally with the 0x1000-byte card
 * key area in front. File data is streamed, so a 1 GiB NCA is copied, never held.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { buildPartitionFsHeader } from "../partition-fs-writer.js";
import { xciKeyAreaSize } from "../xci.js";

export interface XciFileSpec {
  name: string;
  path: string;
}

export interface XciPartitionSpec {
  name: string;
  files: XciFileSpec[];
}

export interface XciWriteOptions {
  /** Put the 0x1000-byte card key area before the header (some dumpers do). */
  keyAreaPrefix?: boolean;
}

const rootHfs0Offset = 0xf000;
const fileHashedSize = 0x200;

const alignUp = (value: number, to: number): number => Math.ceil(value / to) * to;

async function headOf(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

interface PlannedPartition {
  name: string;
  header: Buffer;
  files: { path: string; size: number }[];
  size: number;
}

async function planPartition(spec: XciPartitionSpec): Promise<PlannedPartition> {
  const files = await Promise.all(
    spec.files.map(async (file) => {
      const { size } = await stat(file.path);
      const hashedSize = Math.min(fileHashedSize, size);
      return { name: file.name, path: file.path, size, hashedSize, sha256: createHash("sha256").update(await headOf(file.path, hashedSize)).digest() };
    }),
  );
  const header = buildPartitionFsHeader("HFS0", files);
  const size = alignUp(header.length + files.reduce((sum, file) => sum + file.size, 0), 0x200);
  return { name: spec.name, header, files, size };
}

/** Writes the image and returns its size. */
export async function writeXci(path: string, partitions: XciPartitionSpec[], options: XciWriteOptions = {}): Promise<number> {
  const planned = await Promise.all(partitions.map(planPartition));
  const rootHeader = buildPartitionFsHeader(
    "HFS0",
    planned.map((p) => ({ name: p.name, size: p.size, hashedSize: p.header.length, sha256: createHash("sha256").update(p.header).digest() })),
  );
  const prefix = options.keyAreaPrefix === true ? xciKeyAreaSize : 0;
  const dataStart = rootHfs0Offset + rootHeader.length;
  const cardSize = alignUp(dataStart + planned.reduce((sum, p) => sum + p.size, 0), 0x200);
  let secureOffset = dataStart;
  for (const partition of planned) {
    if (partition.name === "secure") break;
    secureOffset += partition.size;
  }
  const card = Buffer.alloc(0x200);
  card.write("HEAD", 0x100, "latin1");
  card.writeUInt32LE(Math.floor(secureOffset / 0x200), 0x104);
  card.writeUInt32LE(0xffffffff, 0x108);
  card.writeUInt8(0xfa, 0x10d);
  card.writeBigUInt64LE(0x5ec0_7e57_0000_0001n, 0x110);
  card.writeUInt32LE(cardSize / 0x200 - 1, 0x118);
  card.writeBigUInt64LE(BigInt(rootHfs0Offset), 0x130);
  card.writeBigUInt64LE(BigInt(rootHeader.length), 0x138);
  createHash("sha256").update(rootHeader).digest().copy(card, 0x140);
  const handle = await open(path, "w");
  try {
    await handle.truncate(prefix + cardSize);
    await handle.write(card, 0, card.length, prefix);
    await handle.write(rootHeader, 0, rootHeader.length, prefix + rootHfs0Offset);
    let at = prefix + dataStart;
    for (const partition of planned) {
      await handle.write(partition.header, 0, partition.header.length, at);
      let fileAt = at + partition.header.length;
      for (const file of partition.files) {
        for await (const chunk of createReadStream(file.path, { highWaterMark: 1 << 22 })) {
          const bytes = chunk as Buffer;
          await handle.write(bytes, 0, bytes.length, fileAt);
          fileAt += bytes.length;
        }
      }
      at += partition.size;
    }
  } finally {
    await handle.close();
  }
  return prefix + cardSize;
}
