// The hash-tree verifiers on trees built by hand from the format, as hactool checks them. IVFC:
// every block, the last short one and the master hash's single level-1 block included, is hashed
// zero-padded to the block size; HierarchicalSha256 (PFS0): blocks and table hashed as they are.
// Hashes here come from node:crypto directly, not from recomp.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { memorySource } from "../../src/formats/byte-source.js";
import type { NcaSection } from "../../src/formats/nca.js";
import { verifyIvfc, verifySha256Layers } from "../../src/formats/nca-section-fs.js";
import { errorOf } from "../helpers/errors.js";

const blockLog2 = 14;
const block = 1 << blockLog2;
/** SHA-256 of 0x4000 zero bytes (`head -c 16384 /dev/zero | sha256sum`). */
const zeroBlockSha256 = "4fe7b59af6de3b665b67788cc2f99892ab827efae3a467342b3bb4e3bc8e5bfe";

const sha256 = (bytes: Uint8Array): Buffer => createHash("sha256").update(bytes).digest();
const padded = (bytes: Uint8Array): Buffer => Buffer.concat([bytes, Buffer.alloc((block - (bytes.length % block)) % block)]);

/** Block hashes of `data`, each block zero-padded to the block size. */
function blockHashes(data: Uint8Array, pad = true): Buffer {
  const out: Buffer[] = [];
  for (let at = 0; at < data.length; at += block) {
    const chunk = data.subarray(at, Math.min(at + block, data.length));
    out.push(sha256(pad ? padded(chunk) : chunk));
  }
  return Buffer.concat(out);
}

interface Tree {
  section: Buffer;
  ivfc: NonNullable<NcaSection["ivfc"]>;
  romfs: Buffer;
}

/**
 * A 3-level tree: level 1 (hashes of level 2) at 0, level 2 (hashes of the RomFS) at 0x4000, the
 * RomFS at 0x8000. The bytes between levels are 0xAA, so a verifier that hashed file bytes past a
 * level's end instead of zeros would fail.
 */
function tree(romfsSize: number, options: { padLastBlock?: boolean; padMaster?: boolean } = {}): Tree {
  const romfs = Buffer.alloc(romfsSize);
  for (let i = 0; i < romfsSize; i += 1) romfs[i] = i % 251;
  const level2 = blockHashes(romfs, options.padLastBlock ?? true);
  const level1 = blockHashes(level2);
  const section = Buffer.alloc(2 * block + Math.ceil(romfsSize / block) * block, 0xaa);
  level1.copy(section, 0);
  level2.copy(section, block);
  romfs.copy(section, 2 * block);
  const master = options.padMaster ?? true ? sha256(padded(level1)) : sha256(level1);
  const levels = [
    { offset: 0, size: level1.length, blockSizeLog2: blockLog2 },
    { offset: block, size: level2.length, blockSizeLog2: blockLog2 },
    { offset: 2 * block, size: romfsSize, blockSizeLog2: blockLog2 },
  ];
  return { section, ivfc: { masterHash: master.toString("hex"), levels }, romfs };
}

const verify = (t: Tree): Promise<void> => verifyIvfc(memorySource(t.section, "section"), t.ivfc, "test.nca section 1");

describe("IVFC verification, last block partial", () => {
  const sizes = [
    ["a 1-byte RomFS", 1],
    ["a block-sized RomFS", block],
    ["a block-plus-one RomFS", block + 1],
  ] as const;

  it.each(sizes)("accepts %s hashed as the format hashes it", async (_name, size) => {
    const t = tree(size);
    expect(t.ivfc.levels.map((level) => level.size)).toEqual([32, Math.ceil(size / block) * 32, size]);
    await expect(verify(t)).resolves.toBeUndefined();
  });

  it("hashes the 1-byte RomFS as a whole zero-padded block", () => {
    // The RomFS is the single byte 0x00, so its padded block is all zeros.
    const t = tree(1);
    expect(t.section.toString("hex", block, block + 32)).toBe(zeroBlockSha256);
  });

  it.each(sizes)("rejects %s whose master hash covers level 1 unpadded", async (_name, size) => {
    const error = await errorOf(verify(tree(size, { padMaster: false })));
    expect(error.code).toBe("format_invalid");
    expect(error.message).toBe("section data: IVFC level 1 does not match the master hash");
    expect(error.location?.offset).toBe(0);
  });

  it("rejects a short last block hashed unpadded", async () => {
    const error = await errorOf(verify(tree(block + 1, { padLastBlock: false })));
    // Level 1 and the master hash are built over that level 2, so only the RomFS's block 1 differs.
    expect(error.message).toBe("section data: IVFC level 3 block 1 does not match its SHA-256");
    expect(error.location?.offset).toBe(2 * block + block);
  });

  it("a block-sized RomFS has no partial block: padding is not an issue there", async () => {
    await expect(verify(tree(block, { padLastBlock: false }))).resolves.toBeUndefined();
  });

  it.each(sizes)("rejects %s with one RomFS byte changed", async (_name, size) => {
    const t = tree(size);
    t.section[2 * block + size - 1] ^= 1;
    const error = await errorOf(verify(t));
    expect(error.message).toBe(`section data: IVFC level 3 block ${Math.floor((size - 1) / block)} does not match its SHA-256`);
  });

  it("ignores the bytes past a level's end (they are hashed as zeros)", async () => {
    const t = tree(block + 1);
    t.section.fill(0x55, 2 * block + block + 1);
    t.section.fill(0x55, 32, block);
    await expect(verify(t)).resolves.toBeUndefined();
  });

  it("rejects a level 1 larger than the one block the master hash covers", async () => {
    const t = tree(1);
    const first = t.ivfc.levels[0];
    if (first !== undefined) first.size = block + 32;
    const error = await errorOf(verify(t));
    expect(error.message).toBe("section data: IVFC level 1 is 0x4020 bytes, more than the one 0x4000-byte block the master hash covers");
  });
});

describe("HierarchicalSha256 (PFS0) verification: blocks and table hashed as they are", () => {
  const pfs0Block = 0x1000;
  const data = Buffer.alloc(pfs0Block + 1);
  for (let i = 0; i < data.length; i += 1) data[i] = (i * 7) % 256;
  const at = 0x200;

  function sha256Section(pad: boolean, padMaster = false) {
    const table = Buffer.concat([sha256(data.subarray(0, pfs0Block)), sha256(pad ? Buffer.concat([data.subarray(pfs0Block), Buffer.alloc(pfs0Block - 1)]) : data.subarray(pfs0Block))]);
    const section = Buffer.alloc(at + data.length, 0xaa);
    table.copy(section, 0);
    data.copy(section, at);
    const masterHash = sha256(padMaster ? Buffer.concat([table, Buffer.alloc(at - table.length)]) : table).toString("hex");
    const layers = { masterHash, blockSize: pfs0Block, hashTable: { offset: 0, size: table.length }, data: { offset: at, size: data.length } };
    return verifySha256Layers(memorySource(section, "section"), layers, "test.nca section 0");
  }

  it("accepts a short last block hashed unpadded and a master hash over the table as it is", async () => {
    await expect(sha256Section(false)).resolves.toBeUndefined();
  });

  it("rejects a short last block hashed zero-padded (the IVFC rule does not apply here)", async () => {
    expect((await errorOf(sha256Section(true))).message).toBe("section data: block 1 does not match its SHA-256");
  });

  it("rejects a master hash over the table padded to its 0x200-byte slot", async () => {
    expect((await errorOf(sha256Section(false, true))).message).toBe("section data: hash table does not match the master hash in the section header");
  });
});
