/**
 * formats: PFS0 (ExeFS, NSP) and HFS0 (game-card partitions). Both are a 0x10-byte header
 * (magic, file count, string-table size), an entry table, a string table, then the file data;
 * HFS0 entries are 0x40 bytes and carry the SHA-256 of each file's first `hashedSize` bytes.
 */
import { createHash } from "node:crypto";
import { RecompError } from "../util/errors.js";
import { subSource, type ByteSource } from "./byte-source.js";
import { fieldError, readField } from "./fields.js";

export type PartitionFsKind = "PFS0" | "HFS0";

export interface PartitionFsEntry {
  name: string;
  /** Offset of the file's data inside the partition (header included). */
  offset: number;
  size: number;
  /** HFS0 only: how many leading bytes `sha256` covers. */
  hashedSize?: number;
  sha256?: string;
}

export interface PartitionFs {
  kind: PartitionFsKind;
  /** Size of header, entry table and string table: where file data begins. */
  headerSize: number;
  entries: PartitionFsEntry[];
}

export const partitionEntrySize: Record<PartitionFsKind, number> = { PFS0: 0x18, HFS0: 0x40 };
// Far beyond any real image; stops a corrupt count from asking for gigabytes of table.
const maxEntries = 0x10000;
const maxStringTable = 0x100000;

const corruptHint = "the image is corrupt or truncated";

/** Parses the header of the PFS0 or HFS0 that fills `source`; `what` names it in errors. */
export async function parsePartitionFs(source: ByteSource, kind: PartitionFsKind, what: string = kind): Promise<PartitionFs> {
  const invalid = (message: string, offset: number): RecompError => fieldError(source.label, what, offset, message, corruptHint);
  const head = Buffer.from(await readField(source, 0, 0x10, `${what} header`));
  const magic = head.toString("latin1", 0, 4);
  if (magic !== kind) throw invalid(`magic is ${JSON.stringify(magic)}, expected "${kind}"`, 0);
  const count = head.readUInt32LE(4);
  const stringTableSize = head.readUInt32LE(8);
  if (count > maxEntries) throw invalid(`file count ${count} is implausible`, 4);
  if (stringTableSize > maxStringTable) throw invalid(`string table size 0x${stringTableSize.toString(16)} is implausible`, 8);
  const entrySize = partitionEntrySize[kind];
  const tableSize = count * entrySize;
  const headerSize = 0x10 + tableSize + stringTableSize;
  const table = Buffer.from(await readField(source, 0x10, tableSize + stringTableSize, `${what} entry and string tables`));
  const strings = table.subarray(tableSize);
  const entries: PartitionFsEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    const at = i * entrySize;
    const offset = Number(table.readBigUInt64LE(at));
    const size = Number(table.readBigUInt64LE(at + 8));
    const nameOffset = table.readUInt32LE(at + 16);
    const entryAt = 0x10 + at;
    if (nameOffset >= strings.length) throw invalid(`entry ${i} name offset 0x${nameOffset.toString(16)} is outside the string table`, entryAt + 16);
    const end = strings.indexOf(0, nameOffset);
    const name = strings.toString("utf8", nameOffset, end < 0 ? strings.length : end);
    const start = headerSize + offset;
    if (!Number.isSafeInteger(start + size) || start + size > source.size) {
      throw invalid(`file "${name}" (0x${start.toString(16)}+0x${size.toString(16)}) lies past the end (size 0x${source.size.toString(16)})`, entryAt);
    }
    const entry: PartitionFsEntry = { name, offset: start, size };
    if (kind === "HFS0") {
      entry.hashedSize = table.readUInt32LE(at + 20);
      entry.sha256 = table.toString("hex", at + 32, at + 64);
      if (entry.hashedSize > size) throw invalid(`file "${name}" hashes 0x${entry.hashedSize.toString(16)} bytes but has 0x${size.toString(16)}`, entryAt + 20);
    }
    entries.push(entry);
  }
  return { kind, headerSize, entries };
}

export function findEntry(fs: PartitionFs, name: string): PartitionFsEntry | undefined {
  return fs.entries.find((entry) => entry.name === name);
}

export function entrySource(source: ByteSource, entry: PartitionFsEntry): ByteSource {
  return subSource(source, entry.offset, entry.size, `${source.label}/${entry.name}`);
}

/** Checks an HFS0 entry's stored hash; throws naming the entry when it does not match. */
export async function verifyHfs0Entry(source: ByteSource, entry: PartitionFsEntry, what: string): Promise<void> {
  if (entry.hashedSize === undefined || entry.sha256 === undefined) return;
  const hash = createHash("sha256");
  const chunk = 1 << 20;
  for (let at = 0; at < entry.hashedSize; at += chunk) {
    hash.update(await source.read(entry.offset + at, Math.min(chunk, entry.hashedSize - at)));
  }
  const actual = hash.digest("hex");
  if (actual !== entry.sha256) {
    throw new RecompError({
      code: "format_invalid",
      message: `${what}/${entry.name}: SHA-256 of its first 0x${entry.hashedSize.toString(16)} bytes does not match the HFS0 entry`,
      location: { file: source.label, offset: entry.offset },
      hint: "the image is corrupt: re-dump it",
    });
  }
}
