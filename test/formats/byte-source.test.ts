import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memorySource, openFileSource, subSource, withFileSource } from "../../src/formats/byte-source.js";
import { readField } from "../../src/formats/fields.js";
import { RecompError } from "../../src/util/errors.js";

const bytes = Uint8Array.from({ length: 64 }, (_, i) => i);

describe("byte sources", () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "recomp-bytes-"));
    file = join(dir, "blob.bin");
    await writeFile(file, bytes);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads the same ranges from a file and from memory", async () => {
    const fromFile = await withFileSource(file, "blob.bin", (source) => source.read(10, 5));
    const fromMemory = await memorySource(bytes, "blob").read(10, 5);
    expect([...fromFile]).toEqual([10, 11, 12, 13, 14]);
    expect([...fromMemory]).toEqual([10, 11, 12, 13, 14]);
  });

  it("maps a sub-range to offsets starting at 0 and bounds it", async () => {
    const sub = subSource(memorySource(bytes, "blob"), 16, 8, "blob.part");
    expect(sub.size).toBe(8);
    expect([...(await sub.read(6, 2))]).toEqual([22, 23]);
    await expect(sub.read(6, 3)).rejects.toThrow(/outside blob\.part \(size 0x8\)/);
    expect(() => subSource(sub, 4, 5, "inner")).toThrow(RecompError);
  });

  it("rejects reads past the end of a file with the offset", async () => {
    const source = await openFileSource(file, "blob.bin");
    try {
      const error = await source.read(60, 8).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RecompError);
      expect((error as RecompError).location).toEqual({ file: "blob.bin", offset: 60 });
    } finally {
      await source.close();
    }
  });

  it("names the field of a truncated read", async () => {
    const error = await readField(memorySource(bytes, "x.nso"), 0x3c, 8, "header.bss_size").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecompError);
    expect((error as RecompError).code).toBe("format_invalid");
    expect((error as RecompError).location).toEqual({ file: "x.nso", keyPath: "header.bss_size", offset: 0x3c });
  });
});
