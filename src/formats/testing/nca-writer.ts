/**
 * formats/testing: writes real-format NCA files (encrypted header, wrapped key area or rights-id
 * title key, AES-CTR sections with SHA-256 / IVFC hash trees) for fixtures and benchmarks. RomFS
 * data is streamed from a ByteSource so a 1 GiB section never sits in memory.
 */
import { createHash } from "node:crypto";
import { open, type FileHandle } from "node:fs/promises";
import type { ByteSource } from "../byte-source.js";
import { keyAreaKeyName, titlekekName, type Keyset } from "../keyset.js";
import { ecbEncrypt, ncaCtrTransform, xtsEncrypt } from "../nca-crypto.js";
import { ncaContentTypes, ncaHeaderSize, type NcaContentType } from "../nca.js";
import { ivfcBlockHash } from "../nca-section-fs.js";
import { buildPartitionFs, type PartitionFsFile } from "../partition-fs-writer.js";

export type NcaSectionSpec = { kind: "pfs0"; files: PartitionFsFile[] } | { kind: "romfs"; romfs: ByteSource };

export interface NcaSpec {
  contentType: NcaContentType;
  programId: string;
  /** 0-based master-key revision. */
  keyGeneration: number;
  keyAreaIndex?: number;
  magic?: "NCA3" | "NCA2";
  /** With a rights id the sections use a title key (see `wrapTitleKey`), not the key area. */
  rightsId?: string;
  /** The plaintext AES-CTR key of the sections. */
  sectionKey: Uint8Array;
  sections: NcaSectionSpec[];
}

const pfs0BlockSize = 0x1000;
const ivfcBlockLog2 = 14;
const ivfcLevels = 6;
const streamChunk = 1 << 22;

const alignUp = (value: number, to: number): number => Math.ceil(value / to) * to;
const sha256 = (data: Uint8Array): Buffer => createHash("sha256").update(data).digest();

interface SectionPlan {
  size: number;
  fsHeader: Buffer;
  /** Writes the section's encrypted bytes given its absolute NCA offset. */
  write(handle: FileHandle, start: number, key: Uint8Array, upperIv: Buffer): Promise<void>;
}

function fsHeaderBase(fsType: number, hashType: number, index: number): { header: Buffer; upperIv: Buffer } {
  const header = Buffer.alloc(0x200);
  header.writeUInt16LE(2, 0);
  header.writeUInt8(fsType, 2);
  header.writeUInt8(hashType, 3);
  header.writeUInt8(3, 4); // AES-CTR
  header.writeUInt32LE(0, 0x140); // generation
  header.writeUInt32LE(0x5ec0 + index, 0x144); // secure value
  return { header, upperIv: Buffer.from(header.subarray(0x140, 0x148)).reverse() };
}

async function writeEncrypted(handle: FileHandle, at: number, plain: Uint8Array, key: Uint8Array, upperIv: Buffer): Promise<void> {
  await handle.write(ncaCtrTransform(key, upperIv, at, plain), 0, plain.length, at);
}

function planPfs0(files: PartitionFsFile[], index: number): SectionPlan & { upperIv: Buffer } {
  const pfs0 = buildPartitionFs("PFS0", files);
  const hashes: Buffer[] = [];
  for (let at = 0; at < pfs0.length; at += pfs0BlockSize) hashes.push(sha256(pfs0.subarray(at, Math.min(at + pfs0BlockSize, pfs0.length))));
  const table = Buffer.concat(hashes);
  const pfs0Offset = alignUp(table.length, 0x200);
  const { header, upperIv } = fsHeaderBase(1, 2, index);
  sha256(table).copy(header, 0x8);
  header.writeUInt32LE(pfs0BlockSize, 0x8 + 0x20);
  header.writeUInt32LE(2, 0x8 + 0x24);
  header.writeBigUInt64LE(0n, 0x8 + 0x28);
  header.writeBigUInt64LE(BigInt(table.length), 0x8 + 0x30);
  header.writeBigUInt64LE(BigInt(pfs0Offset), 0x8 + 0x38);
  header.writeBigUInt64LE(BigInt(pfs0.length), 0x8 + 0x40);
  const plain = Buffer.alloc(alignUp(pfs0Offset + pfs0.length, 0x200));
  table.copy(plain, 0);
  pfs0.copy(plain, pfs0Offset);
  return { size: plain.length, fsHeader: header, upperIv, write: (handle, start, key, iv) => writeEncrypted(handle, start, plain, key, iv) };
}

function planRomfs(romfs: ByteSource, index: number): SectionPlan & { upperIv: Buffer } {
  const blockSize = 2 ** ivfcBlockLog2;
  const sizes: number[] = new Array<number>(ivfcLevels).fill(0);
  sizes[ivfcLevels - 1] = romfs.size;
  for (let level = ivfcLevels - 2; level >= 0; level -= 1) sizes[level] = Math.ceil((sizes[level + 1] ?? 0) / blockSize) * 32;
  const offsets: number[] = [];
  let cursor = 0;
  for (const size of sizes) {
    offsets.push(cursor);
    cursor = alignUp(cursor + size, blockSize);
  }
  const dataOffset = offsets[ivfcLevels - 1] ?? 0;
  const { header, upperIv } = fsHeaderBase(0, 3, index);
  const hashData = header.subarray(0x8, 0x100);
  hashData.write("IVFC", 0, "latin1");
  hashData.writeUInt32LE(0x20000, 4);
  hashData.writeUInt32LE(0x20, 8);
  hashData.writeUInt32LE(ivfcLevels + 1, 0xc);
  sizes.forEach((size, level) => {
    const at = 0x10 + level * 0x18;
    hashData.writeBigUInt64LE(BigInt(offsets[level] ?? 0), at);
    hashData.writeBigUInt64LE(BigInt(size), at + 8);
    hashData.writeUInt32LE(ivfcBlockLog2, at + 0x10);
  });
  const hashBlocks = (data: Uint8Array, out: Buffer[]): void => {
    for (let at = 0; at < data.length; at += blockSize) out.push(ivfcBlockHash(data.subarray(at, Math.min(at + blockSize, data.length)), blockSize));
  };
  return {
    size: alignUp(dataOffset + romfs.size, 0x200),
    fsHeader: header,
    upperIv,
    async write(handle, start, key, iv) {
      // Level 6 (the RomFS) is streamed; its block hashes become level 5, and so on upwards.
      let hashes: Buffer[] = [];
      for (let at = 0; at < romfs.size; at += streamChunk) {
        const chunk = await romfs.read(at, Math.min(streamChunk, romfs.size - at));
        hashBlocks(chunk, hashes);
        await writeEncrypted(handle, start + dataOffset + at, chunk, key, iv);
      }
      for (let level = ivfcLevels - 2; level >= 0; level -= 1) {
        const levelData = Buffer.concat(hashes);
        await writeEncrypted(handle, start + (offsets[level] ?? 0), levelData, key, iv);
        hashes = [];
        if (level > 0) hashBlocks(levelData, hashes);
        else ivfcBlockHash(levelData, blockSize).copy(hashData, 0xc0);
      }
    },
  };
}

function storedGenerations(generation: number): { old: number; current: number } {
  if (generation === 0) return { old: 0, current: 0 };
  return { old: Math.min(generation + 1, 2), current: generation + 1 };
}

/** The title.keys value for a rights-id NCA: the section key wrapped with titlekek_<generation>. */
export function wrapTitleKey(keys: Keyset, generation: number, sectionKey: Uint8Array): Buffer {
  return ecbEncrypt(keys.require(titlekekName(generation), 16), sectionKey);
}

/** Writes the NCA to `path` and returns its size. */
export async function writeNca(path: string, spec: NcaSpec, keys: Keyset): Promise<number> {
  const handle = await open(path, "w");
  try {
    return await writeNcaTo(handle, spec, keys);
  } finally {
    await handle.close();
  }
}

async function writeNcaTo(handle: FileHandle, spec: NcaSpec, keys: Keyset): Promise<number> {
  const plans = spec.sections.map((section, i) => (section.kind === "pfs0" ? planPfs0(section.files, i) : planRomfs(section.romfs, i)));
  const header = Buffer.alloc(ncaHeaderSize);
  let cursor = ncaHeaderSize;
  const starts = plans.map((plan) => {
    const start = cursor;
    cursor = alignUp(cursor + plan.size, 0x200);
    return start;
  });
  const total = cursor;
  await handle.truncate(total);
  // Sections first: writing a RomFS computes its IVFC master hash, which the header covers.
  for (const [i, plan] of plans.entries()) await plan.write(handle, starts[i] ?? 0, spec.sectionKey, plan.upperIv);
  const magic = spec.magic ?? "NCA3";
  const generations = storedGenerations(spec.keyGeneration);
  const keyAreaIndex = spec.keyAreaIndex ?? 0;
  header.write(magic, 0x200, "latin1");
  header.writeUInt8(1, 0x204);
  header.writeUInt8(ncaContentTypes.indexOf(spec.contentType), 0x205);
  header.writeUInt8(generations.old, 0x206);
  header.writeUInt8(keyAreaIndex, 0x207);
  header.writeBigUInt64LE(BigInt(total), 0x208);
  header.writeBigUInt64LE(BigInt(`0x${spec.programId}`), 0x210);
  header.writeUInt32LE(0x000c1100, 0x21c);
  header.writeUInt8(generations.current, 0x220);
  if (spec.rightsId !== undefined) header.write(spec.rightsId, 0x230, "hex");
  plans.forEach((plan, i) => {
    const start = starts[i] ?? 0;
    header.writeUInt32LE(start / 0x200, 0x240 + i * 0x10);
    header.writeUInt32LE((start + plan.size) / 0x200, 0x244 + i * 0x10);
    header.writeUInt32LE(1, 0x248 + i * 0x10);
    sha256(plan.fsHeader).copy(header, 0x280 + i * 0x20);
    plan.fsHeader.copy(header, 0x400 + i * 0x200);
  });
  if (spec.rightsId === undefined) {
    const keyArea = Buffer.alloc(0x40);
    for (let i = 0; i < 4; i += 1) keyArea.fill(0x30 + i, i * 0x10, i * 0x10 + 0x10);
    keyArea.set(spec.sectionKey, 0x20);
    ecbEncrypt(keys.require(keyAreaKeyName(keyAreaIndex, spec.keyGeneration), 16), keyArea).copy(header, 0x300);
  }
  const headerKey = keys.require("header_key", 32);
  const encrypted =
    magic === "NCA3"
      ? xtsEncrypt(headerKey, header, 0)
      : Buffer.concat([xtsEncrypt(headerKey, header.subarray(0, 0x400), 0), ...[0, 1, 2, 3].map((i) => xtsEncrypt(headerKey, header.subarray(0x400 + i * 0x200, 0x600 + i * 0x200), 0))]);
  await handle.write(encrypted, 0, encrypted.length, 0);
  return total;
}
