/**
 * scripts/hactool-crosscheck: NCA2 files as hactool 1d64a83 can read them. Its nca_decrypt_header
 * decides whether to decrypt each NCA2 section header by looking at the not-yet-decrypted copy
 * (`dec_header.fs_headers[i]`, uninitialised stack memory), finds zeros, and drops every section
 * ("Unknown/invalid superblock!"). hactool also reads fully decrypted NCAs (a header whose
 * 0x340-0x400 is zero), so NCA2 files are handed to it decrypted: header and sections. The hash
 * trees are then checked by hactool as usual; the NCA2 header cipher itself is checked against
 * OpenSSL by test/formats/xci-crypto.test.ts.
 */
import { readFile, writeFile } from "node:fs/promises";
import { memorySource } from "../../src/formats/byte-source.js";
import { ncaHeaderSize, ncaSectionKey, ncaSectionSource, parseNcaHeader, type NcaKeys } from "../../src/formats/nca.js";
import { ncaSectorSize, xtsDecrypt } from "../../src/formats/nca-crypto.js";

/** Writes `out` as the decrypted form of the NCA2 at `path` and returns it; NCA3 files are returned as they are. */
export async function readableByHactool(path: string, keys: NcaKeys, out: string): Promise<string> {
  const bytes = await readFile(path);
  const source = memorySource(bytes, path);
  const header = await parseNcaHeader(source, keys.keys);
  if (header.magic !== "NCA2") return path;
  const headerKey = keys.keys.require("header_key", 32);
  const plain = Buffer.from(bytes);
  xtsDecrypt(headerKey, bytes.subarray(0, 0x400), 0).copy(plain, 0);
  for (let at = 0x400; at < ncaHeaderSize; at += ncaSectorSize) xtsDecrypt(headerKey, bytes.subarray(at, at + ncaSectorSize), 0).copy(plain, at);
  const key = ncaSectionKey(header, keys);
  for (const section of header.sections) Buffer.from(await ncaSectionSource(source, section, key).read(0, section.end - section.start)).copy(plain, section.start);
  await writeFile(out, plain);
  return out;
}
