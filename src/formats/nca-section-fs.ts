/**
 * formats: the file systems inside decrypted NCA sections. A PFS0 section (ExeFS) is a SHA-256
 * hash table plus the PFS0; a RomFS section is an IVFC hash tree whose last level is the RomFS.
 * A section that does not decrypt to its expected magic means the section key is wrong.
 */
import { createHash } from "node:crypto";
import { basename } from "node:path";
import { RecompError } from "../util/errors.js";
import { subSource, type ByteSource } from "./byte-source.js";
import { fieldError } from "./fields.js";
import { keyAreaKeyName, titlekekName } from "./keyset.js";
import type { NcaHeader, NcaKeys, NcaSection } from "./nca.js";
import { parsePartitionFs, type PartitionFs } from "./partition-fs.js";

/** Which key decrypted the sections, by name only, for messages. */
export function describeSectionKey(header: NcaHeader, keys: NcaKeys): string {
  if (header.rightsId !== undefined) {
    return `the title key of rights id ${header.rightsId} in ${basename(keys.titleKeys?.file ?? "title.keys")} (with ${titlekekName(header.keyGeneration)})`;
  }
  return `${keyAreaKeyName(header.keyAreaIndex, header.keyGeneration)} from ${basename(keys.keys.file)}`;
}

function wrongKey(what: string, section: NcaSection, expected: string, keyName: string): RecompError {
  return new RecompError({
    code: "input_mismatch",
    message: `${what} section ${section.index} does not decrypt to a ${expected}: ${keyName} is wrong`,
    hint: "use the keys dumped from your own console; a corrupt image fails the same way, so re-check its SHA-256 against provenance",
  });
}

function corrupt(what: string, message: string, offset: number): RecompError {
  return fieldError(what, "section data", offset, message, "the image is corrupt: re-dump it");
}

async function sha256Range(source: ByteSource, offset: number, size: number): Promise<Buffer> {
  const hash = createHash("sha256");
  const chunk = 1 << 20;
  for (let at = 0; at < size; at += chunk) hash.update(await source.read(offset + at, Math.min(chunk, size - at)));
  return hash.digest();
}

/** Checks a HierarchicalSha256 section: master hash over the table, table over every data block. */
export async function verifySha256Layers(section: ByteSource, layers: NonNullable<NcaSection["sha256Layers"]>, what: string): Promise<void> {
  const table = Buffer.from(await section.read(layers.hashTable.offset, layers.hashTable.size));
  if (createHash("sha256").update(table).digest("hex") !== layers.masterHash) {
    throw corrupt(what, "hash table does not match the master hash in the section header", layers.hashTable.offset);
  }
  const blocks = Math.ceil(layers.data.size / layers.blockSize);
  if (blocks * 32 > table.length) throw corrupt(what, `hash table holds ${table.length / 32} hashes for ${blocks} blocks`, layers.hashTable.offset);
  for (let i = 0; i < blocks; i += 1) {
    const offset = layers.data.offset + i * layers.blockSize;
    const size = Math.min(layers.blockSize, layers.data.offset + layers.data.size - offset);
    const actual = await sha256Range(section, offset, size);
    if (!actual.equals(table.subarray(i * 32, i * 32 + 32))) throw corrupt(what, `block ${i} does not match its SHA-256`, offset);
  }
}

/**
 * The SHA-256 of one IVFC block. Every block, the last (short) one of a level included, is hashed
 * zero-padded to the full block size: the console and hactool hash it so, and so does the master hash.
 */
export function ivfcBlockHash(data: Uint8Array, blockSize: number): Buffer {
  const hash = createHash("sha256").update(data);
  if (data.length < blockSize) hash.update(Buffer.alloc(blockSize - data.length));
  return hash.digest();
}

type IvfcLevels = NonNullable<NcaSection["ivfc"]>["levels"];

/** Level 1 is a single block (the master hash is one hash), hashed zero-padded like any other block. */
async function verifyIvfcMaster(section: ByteSource, first: IvfcLevels[number], masterHash: string, what: string): Promise<void> {
  const blockSize = 2 ** first.blockSizeLog2;
  if (first.size > blockSize) {
    throw corrupt(what, `IVFC level 1 is 0x${first.size.toString(16)} bytes, more than the one 0x${blockSize.toString(16)}-byte block the master hash covers`, first.offset);
  }
  const level = await subSource(section, first.offset, first.size, `${section.label}:ivfc1`).read(0, first.size);
  if (ivfcBlockHash(level, blockSize).toString("hex") !== masterHash) throw corrupt(what, "IVFC level 1 does not match the master hash", first.offset);
}

/** Checks every block of IVFC level `level + 1` against the hashes in level `level`. */
async function verifyIvfcLevel(section: ByteSource, levels: IvfcLevels, level: number, what: string): Promise<void> {
  const hashes = levels[level - 1];
  const data = levels[level];
  if (hashes === undefined || data === undefined) return;
  const blockSize = 2 ** data.blockSizeLog2;
  // Sub-ranges reject a level that does not lie inside the section before any loop runs.
  const dataSource = subSource(section, data.offset, data.size, `${section.label}:ivfc${level + 1}`);
  const table = Buffer.from(await subSource(section, hashes.offset, hashes.size, `${section.label}:ivfc${level}`).read(0, hashes.size));
  if (Math.ceil(data.size / blockSize) * 32 > table.length) throw corrupt(what, `IVFC level ${level} holds too few hashes for level ${level + 1}`, hashes.offset);
  for (let i = 0; i * blockSize < data.size; i += 1) {
    const block = await dataSource.read(i * blockSize, Math.min(blockSize, data.size - i * blockSize));
    if (!ivfcBlockHash(block, blockSize).equals(table.subarray(i * 32, i * 32 + 32))) {
      throw corrupt(what, `IVFC level ${level + 1} block ${i} does not match its SHA-256`, data.offset + i * blockSize);
    }
  }
}

/** Checks an IVFC tree: the master hash over level 1, each level's hashes over the next level's blocks. */
export async function verifyIvfc(section: ByteSource, ivfc: NonNullable<NcaSection["ivfc"]>, what: string): Promise<void> {
  const first = ivfc.levels[0];
  if (first === undefined) return;
  await verifyIvfcMaster(section, first, ivfc.masterHash, what);
  for (let level = 1; level < ivfc.levels.length; level += 1) await verifyIvfcLevel(section, ivfc.levels, level, what);
}

export interface NcaPfs0 {
  fs: PartitionFs;
  source: ByteSource;
}

/** The PFS0 (ExeFS) of a decrypted PFS0 section, its hashes always checked (ExeFS is small). */
export async function openNcaPfs0(section: ByteSource, info: NcaSection, keyName: string, what: string): Promise<NcaPfs0> {
  const layers = info.sha256Layers;
  if (info.fsType !== "pfs0" || layers === undefined) {
    throw new RecompError({ code: "format_invalid", message: `${what} section ${info.index} is not a hashed PFS0 section (FsType ${info.fsType}, HashType ${info.hashType})` });
  }
  const source = subSource(section, layers.data.offset, layers.data.size, `${section.label}:pfs0`);
  const magic = Buffer.from(await source.read(0, 4)).toString("latin1");
  if (magic !== "PFS0") throw wrongKey(what, info, "PFS0", keyName);
  await verifySha256Layers(section, layers, `${what} section ${info.index}`);
  return { fs: await parsePartitionFs(source, "PFS0", `${what} section ${info.index} PFS0`), source };
}

/** The RomFS image (the last IVFC level) of a decrypted RomFS section. */
export async function openNcaRomfs(section: ByteSource, info: NcaSection, keyName: string, what: string, verify = false): Promise<ByteSource> {
  const level = info.ivfc?.levels.at(-1);
  if (info.fsType !== "romfs" || info.ivfc === undefined || level === undefined) {
    throw new RecompError({ code: "format_invalid", message: `${what} section ${info.index} is not an IVFC RomFS section (FsType ${info.fsType}, HashType ${info.hashType})` });
  }
  const source = subSource(section, level.offset, level.size, `${section.label}:romfs`);
  // A RomFS header starts with its own size, 0x50: anything else means garbage from a wrong key.
  const headerSize = source.size >= 8 ? Buffer.from(await source.read(0, 8)).readBigUInt64LE(0) : 0n;
  if (headerSize !== 0x50n) throw wrongKey(what, info, "RomFS", keyName);
  if (verify) await verifyIvfc(section, info.ivfc, `${what} section ${info.index}`);
  return source;
}
