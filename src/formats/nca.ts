/**
 * formats: NCA content archives. The 0xC00-byte header is AES-128-XTS encrypted with header_key
 * (NCA3: sectors 0-5; NCA2: 0x400 bytes as sectors 0-1, each section header as sector 0). The key
 * area is unwrapped with key_area_key_<kind>_<generation> (AES-ECB); a title with a rights id
 * uses its title key from title.keys, unwrapped with titlekek_<generation>. Sections are AES-CTR.
 */
import { createHash } from "node:crypto";
import { RecompError } from "../util/errors.js";
import { subSource, type ByteSource } from "./byte-source.js";
import { fieldError, readField } from "./fields.js";
import { keyAreaKeyName, titlekekName, type Keyset } from "./keyset.js";
import { ecbDecrypt, ncaCtrTransform, ncaSectorSize, xtsDecrypt } from "./nca-crypto.js";

export const ncaHeaderSize = 0xc00;
export const ncaContentTypes = ["program", "meta", "control", "manual", "data", "public_data"] as const;
export type NcaContentType = (typeof ncaContentTypes)[number];

export const ncaFsTypes = { 0: "romfs", 1: "pfs0" } as const;
export const ncaEncryptionTypes = ["auto", "none", "xts", "ctr", "ctr_ex", "ctr_skip_layer_hash", "ctr_ex_skip_layer_hash"] as const;
export type NcaEncryptionType = (typeof ncaEncryptionTypes)[number];

export interface NcaRegion {
  offset: number;
  size: number;
}

export interface NcaIvfcLevel extends NcaRegion {
  blockSizeLog2: number;
}

export interface NcaSection {
  index: number;
  /** Byte range of the section inside the NCA. */
  start: number;
  end: number;
  fsType: "romfs" | "pfs0";
  hashType: number;
  encryption: NcaEncryptionType;
  /** The first 8 bytes of every CTR counter of this section. */
  ctrUpperIv: Buffer;
  /** PFS0 sections (HierarchicalSha256): hash table, then the PFS0 itself. */
  sha256Layers?: { masterHash: string; blockSize: number; hashTable: NcaRegion; data: NcaRegion };
  /** RomFS sections (HierarchicalIntegrity, IVFC): the hash levels, the last one is the RomFS. */
  ivfc?: { masterHash: string; levels: NcaIvfcLevel[] };
  /** Set when the section needs a feature recomp does not read (BKTR patch, sparse, compression). */
  unsupported?: string;
}

export interface NcaHeader {
  magic: "NCA3" | "NCA2";
  distribution: "download" | "gamecard";
  contentType: NcaContentType;
  /** 0-based master-key revision: max(KeyGenerationOld, KeyGeneration) minus one, floored at 0. */
  keyGeneration: number;
  keyAreaIndex: number;
  contentSize: number;
  programId: string;
  contentIndex: number;
  sdkAddonVersion: number;
  /** 32 hex digits, or undefined when the title uses the key area (no ticket). */
  rightsId?: string;
  sections: NcaSection[];
  encryptedKeyArea: Buffer;
}

function invalid(what: string, message: string, offset: number): RecompError {
  return fieldError(what, "NCA header", offset, message, "the NCA is corrupt or truncated");
}

/** Hash blocks are powers of two; bounding them keeps verification loops finite and reads small. */
function validBlockSize(size: number): boolean {
  return size >= 0x200 && size <= 1 << 24 && (size & (size - 1)) === 0;
}

function allZero(bytes: Uint8Array): boolean {
  return bytes.every((byte) => byte === 0);
}

function decryptHeader(raw: Buffer, headerKey: Buffer, keys: Keyset, what: string): Buffer {
  const first = xtsDecrypt(headerKey, raw.subarray(0, 0x400), 0);
  const magic = first.toString("latin1", 0x200, 0x204);
  if (magic === "NCA3") return xtsDecrypt(headerKey, raw, 0);
  if (magic === "NCA2") {
    const sections = [0, 1, 2, 3].map((i) => xtsDecrypt(headerKey, raw.subarray(0x400 + i * ncaSectorSize, 0x600 + i * ncaSectorSize), 0));
    return Buffer.concat([first, ...sections]);
  }
  if (magic === "NCA0" || magic === "NCA1") {
    throw new RecompError({ code: "format_unsupported", message: `${what}: ${magic} (pre-1.0.0) NCAs are not supported`, location: { file: what, offset: 0x200 } });
  }
  throw new RecompError({
    code: "input_mismatch",
    message: `${what}: header_key from ${keys.file} does not decrypt this NCA header (no NCA3/NCA2 magic after decryption)`,
    location: { file: keys.file, keyPath: "header_key", offset: 0x200 },
    hint: "the header_key is wrong (use the keys dumped from your own console), or the file is not an NCA",
  });
}

function parseSection(index: number, entry: Buffer, fsHeader: Buffer, what: string): NcaSection {
  const start = entry.readUInt32LE(0) * 0x200;
  const end = entry.readUInt32LE(4) * 0x200;
  const at = 0x400 + index * 0x200;
  if (end <= start) throw invalid(what, `section ${index} ends (0x${end.toString(16)}) before it starts (0x${start.toString(16)})`, 0x240 + index * 0x10);
  const fsTypeCode = fsHeader.readUInt8(2);
  const fsType = ncaFsTypes[fsTypeCode as 0 | 1] as "romfs" | "pfs0" | undefined;
  if (fsType === undefined) throw invalid(what, `section ${index} has unknown FsType ${fsTypeCode}`, at + 2);
  const encryptionCode = fsHeader.readUInt8(4);
  const encryption = ncaEncryptionTypes[encryptionCode];
  if (encryption === undefined) throw invalid(what, `section ${index} has unknown EncryptionType ${encryptionCode}`, at + 4);
  const section: NcaSection = {
    index,
    start,
    end,
    fsType,
    hashType: fsHeader.readUInt8(3),
    encryption,
    ctrUpperIv: Buffer.from(fsHeader.subarray(0x140, 0x148)).reverse(),
  };
  const hashData = fsHeader.subarray(0x8, 0x100);
  if (section.hashType === 2) {
    const layerCount = hashData.readUInt32LE(0x24);
    if (layerCount < 2 || layerCount > 5) throw invalid(what, `section ${index} has ${layerCount} hash layers (expected 2 to 5)`, at + 0x2c);
    const region = (i: number): NcaRegion => ({ offset: Number(hashData.readBigUInt64LE(0x28 + i * 0x10)), size: Number(hashData.readBigUInt64LE(0x30 + i * 0x10)) });
    const blockSize = hashData.readUInt32LE(0x20);
    if (!validBlockSize(blockSize)) throw invalid(what, `section ${index} hash block size 0x${blockSize.toString(16)} is not a power of two from 0x200 to 16 MiB`, at + 0x28);
    section.sha256Layers = { masterHash: hashData.toString("hex", 0, 0x20), blockSize, hashTable: region(0), data: region(layerCount - 1) };
  } else if (section.hashType === 3) {
    if (hashData.toString("latin1", 0, 4) !== "IVFC") throw invalid(what, `section ${index} has no IVFC magic in its integrity header`, at + 8);
    const masterHashSize = hashData.readUInt32LE(0x8);
    if (masterHashSize !== 0x20) throw invalid(what, `section ${index} IVFC master hash size is 0x${masterHashSize.toString(16)} (expected 0x20, one SHA-256)`, at + 0x10);
    const maxLayers = hashData.readUInt32LE(0xc);
    if (maxLayers < 2 || maxLayers > 7) throw invalid(what, `section ${index} IVFC has ${maxLayers} layers (expected 2 to 7)`, at + 0x14);
    const levels: NcaIvfcLevel[] = [];
    for (let i = 0; i < maxLayers - 1; i += 1) {
      const base = 0x10 + i * 0x18;
      const blockSizeLog2 = hashData.readUInt32LE(base + 0x10);
      if (blockSizeLog2 > 31 || !validBlockSize(2 ** blockSizeLog2)) throw invalid(what, `section ${index} IVFC level ${i + 1} block size 2^${blockSizeLog2} is not from 0x200 to 16 MiB`, at + 8 + base + 0x10);
      levels.push({ offset: Number(hashData.readBigUInt64LE(base)), size: Number(hashData.readBigUInt64LE(base + 8)), blockSizeLog2 });
    }
    section.ivfc = { masterHash: hashData.toString("hex", 0xc0, 0xe0), levels };
  }
  if (!allZero(fsHeader.subarray(0x100, 0x140))) section.unsupported = "an update patch (BKTR, PatchInfo)";
  else if (!allZero(fsHeader.subarray(0x148, 0x178))) section.unsupported = "sparse storage (SparseInfo)";
  else if (!allZero(fsHeader.subarray(0x178, 0x1a0))) section.unsupported = "compressed storage (CompressionInfo)";
  else if (encryption === "xts" || encryption === "ctr_ex" || encryption === "ctr_ex_skip_layer_hash") section.unsupported = `${encryption} section encryption`;
  return section;
}

/** Decrypts and parses the NCA header. Section hashes in the header are always checked. */
export async function parseNcaHeader(source: ByteSource, keys: Keyset): Promise<NcaHeader> {
  const what = source.label;
  const headerKey = keys.require("header_key", 32);
  const header = decryptHeader(Buffer.from(await readField(source, 0, ncaHeaderSize, "NCA header")), headerKey, keys, what);
  const contentTypeCode = header.readUInt8(0x205);
  const contentType = ncaContentTypes[contentTypeCode];
  if (contentType === undefined) throw invalid(what, `unknown ContentType ${contentTypeCode}`, 0x205);
  const generation = Math.max(header.readUInt8(0x206), header.readUInt8(0x220));
  const rightsId = header.subarray(0x230, 0x240);
  const sections: NcaSection[] = [];
  for (let i = 0; i < 4; i += 1) {
    const entry = header.subarray(0x240 + i * 0x10, 0x250 + i * 0x10);
    if (allZero(entry.subarray(0, 8))) continue;
    const fsHeader = header.subarray(0x400 + i * 0x200, 0x600 + i * 0x200);
    const expected = header.toString("hex", 0x280 + i * 0x20, 0x2a0 + i * 0x20);
    if (createHash("sha256").update(fsHeader).digest("hex") !== expected) {
      throw invalid(what, `section ${i} header does not match its SHA-256 in the NCA header`, 0x400 + i * 0x200);
    }
    const section = parseSection(i, entry, fsHeader, what);
    if (section.end > source.size) {
      throw invalid(what, `section ${i} (0x${section.start.toString(16)}-0x${section.end.toString(16)}) lies past the end of the NCA (0x${source.size.toString(16)} bytes)`, 0x240 + i * 0x10);
    }
    sections.push(section);
  }
  return {
    magic: header.toString("latin1", 0x200, 0x204) as "NCA3" | "NCA2",
    distribution: header.readUInt8(0x204) === 1 ? "gamecard" : "download",
    contentType,
    keyGeneration: generation > 0 ? generation - 1 : 0,
    keyAreaIndex: header.readUInt8(0x207),
    contentSize: Number(header.readBigUInt64LE(0x208)),
    programId: header.readBigUInt64LE(0x210).toString(16).padStart(16, "0"),
    contentIndex: header.readUInt32LE(0x218),
    sdkAddonVersion: header.readUInt32LE(0x21c),
    ...(allZero(rightsId) ? {} : { rightsId: rightsId.toString("hex") }),
    sections,
    encryptedKeyArea: Buffer.from(header.subarray(0x300, 0x340)),
  };
}

export interface NcaKeys {
  keys: Keyset;
  /** title.keys; needed only by titles with a rights id. */
  titleKeys?: Keyset;
}

/** The AES-CTR key of the NCA's sections: from the key area, or the title key for rights-id titles. */
export function ncaSectionKey(header: NcaHeader, { keys, titleKeys }: NcaKeys): Buffer {
  if (header.rightsId !== undefined) {
    if (titleKeys === undefined) {
      throw new RecompError({
        code: "input_missing",
        message: `the program NCA has rights id ${header.rightsId} and needs its title key`,
        hint: "pass --title-keys with your title.keys (a `rights_id = title_key` line per title)",
      });
    }
    const wrapped = titleKeys.require(header.rightsId, 16);
    return ecbDecrypt(keys.require(titlekekName(header.keyGeneration), 16), wrapped);
  }
  const kek = keys.require(keyAreaKeyName(header.keyAreaIndex, header.keyGeneration), 16);
  return ecbDecrypt(kek, header.encryptedKeyArea).subarray(0x20, 0x30);
}

/** The plaintext of one section as a ByteSource: AES-CTR is undone on every read. */
export function ncaSectionSource(nca: ByteSource, section: NcaSection, key: Uint8Array): ByteSource {
  const label = `${nca.label}:section${section.index}`;
  if (section.unsupported !== undefined) {
    throw new RecompError({
      code: "format_unsupported",
      message: `${nca.label} section ${section.index} uses ${section.unsupported}, which recomp does not read`,
      location: { file: nca.label, offset: 0x400 + section.index * 0x200 },
      hint: "apply update patches and decompress outside recomp, or use a base-game image",
    });
  }
  // The sub-range checks every read against the section's bounds.
  const encrypted = subSource(nca, section.start, section.end - section.start, label);
  if (section.encryption === "none") return encrypted;
  return {
    size: encrypted.size,
    label,
    async read(offset, length) {
      return ncaCtrTransform(key, section.ctrUpperIv, section.start + offset, await encrypted.read(offset, length));
    },
  };
}
