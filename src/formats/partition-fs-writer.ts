/** formats: writes PFS0 and HFS0 images (fixtures, and ExeFS re-packing). */
import { createHash } from "node:crypto";
import { partitionEntrySize, type PartitionFsKind } from "./partition-fs.js";

export interface PartitionFsFile {
  name: string;
  data: Uint8Array;
  /** HFS0 only: bytes covered by the entry hash (default: the whole file). */
  hashedSize?: number;
}

/** Header, entry table and string table for files of the given sizes, data aligned to 0x20. */
export function buildPartitionFsHeader(kind: PartitionFsKind, files: readonly { name: string; size: number; sha256?: Uint8Array; hashedSize?: number }[]): Buffer {
  const names = files.map((file) => Buffer.from(`${file.name}\0`, "utf8"));
  const entrySize = partitionEntrySize[kind];
  const unpadded = 0x10 + files.length * entrySize + names.reduce((sum, name) => sum + name.length, 0);
  const headerSize = Math.ceil(unpadded / 0x20) * 0x20;
  const stringTableSize = headerSize - 0x10 - files.length * entrySize;
  const header = Buffer.alloc(headerSize);
  header.write(kind, 0, "latin1");
  header.writeUInt32LE(files.length, 4);
  header.writeUInt32LE(stringTableSize, 8);
  let dataOffset = 0;
  let nameOffset = 0;
  files.forEach((file, i) => {
    const at = 0x10 + i * entrySize;
    header.writeBigUInt64LE(BigInt(dataOffset), at);
    header.writeBigUInt64LE(BigInt(file.size), at + 8);
    header.writeUInt32LE(nameOffset, at + 16);
    if (kind === "HFS0") {
      header.writeUInt32LE(file.hashedSize ?? file.size, at + 20);
      if (file.sha256 !== undefined) header.set(file.sha256, at + 32);
    }
    names[i]?.copy(header, 0x10 + files.length * entrySize + nameOffset);
    nameOffset += names[i]?.length ?? 0;
    dataOffset += file.size;
  });
  return header;
}

/** A whole in-memory PFS0 or HFS0. */
export function buildPartitionFs(kind: PartitionFsKind, files: readonly PartitionFsFile[]): Buffer {
  const header = buildPartitionFsHeader(
    kind,
    files.map((file) => {
      const hashedSize = file.hashedSize ?? file.data.length;
      return { name: file.name, size: file.data.length, hashedSize, sha256: createHash("sha256").update(file.data.subarray(0, hashedSize)).digest() };
    }),
  );
  return Buffer.concat([header, ...files.map((file) => file.data)]);
}
