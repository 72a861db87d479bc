import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decompressLz4Block } from "../../src/formats/lz4.js";
import { RecompError } from "../../src/util/errors.js";
import { requireTools } from "../helpers/tools.js";
import { lz4CompressBlock } from "../fixtures/nso-build.js";
import { fillerBytes } from "../fixtures/segments.js";

const origin = { label: "x.nso", field: "segments.text", offset: 0x100 };

function errorOf(run: () => unknown): RecompError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RecompError);
    return error as RecompError;
  }
  throw new Error("expected an error");
}

/** The first block of an LZ4 frame written by the lz4 CLI (one block when the input fits). */
function firstFrameBlock(frame: Uint8Array): { bytes: Uint8Array; compressed: boolean } {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  expect(view.getUint32(0, true)).toBe(0x184d2204);
  const flags = frame[4];
  let at = 6 + ((flags & 0x08) !== 0 ? 8 : 0) + ((flags & 0x01) !== 0 ? 4 : 0) + 1;
  const word = view.getUint32(at, true);
  at += 4;
  const size = word & 0x7fffffff;
  return { bytes: frame.subarray(at, at + size), compressed: (word & 0x80000000) === 0 };
}

describe("LZ4 block decompression", () => {
  it("restores blocks written by lz4js", () => {
    for (const [length, seed] of [
      [1000, 2],
      [70_000, 3],
      [300_000, 4],
    ] as const) {
      const original = fillerBytes(length, seed);
      const block = lz4CompressBlock(original) as Uint8Array;
      expect(Buffer.from(decompressLz4Block(block, length, origin)).equals(Buffer.from(original))).toBe(true);
    }
  });

  it("restores whatever lz4js compresses: repeats of every period and length, runs at the very end", () => {
    // Data built from pieces that repeat at short periods, so matches of distance 1..8 and
    // literal/match runs ending exactly at the end of the output all occur.
    const piece = fc.record({ period: fc.integer({ min: 1, max: 9 }), length: fc.integer({ min: 1, max: 300 }), seed: fc.nat(255) });
    const data = fc.array(piece, { minLength: 1, maxLength: 12 }).map((pieces) => {
      const out: number[] = [];
      for (const { period, length, seed } of pieces) for (let i = 0; i < length; i += 1) out.push((seed + (i % period) * 37) & 0xff);
      return Uint8Array.from(out);
    });
    fc.assert(
      fc.property(data, (original) => {
        const block = lz4CompressBlock(original);
        if (block === undefined) return; // lz4js found nothing to compress: not an LZ4 block to test
        expect(Buffer.from(decompressLz4Block(block, original.length, origin)).equals(Buffer.from(original))).toBe(true);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it("restores long overlapping matches (runs of one byte and of short periods)", () => {
    const original = new Uint8Array(200_000);
    original.fill(0xaa, 0, 100_000);
    for (let i = 100_000; i < original.length; i += 1) original[i] = i % 3;
    const block = lz4CompressBlock(original) as Uint8Array;
    expect(block.length).toBeLessThan(2000);
    expect(Buffer.from(decompressLz4Block(block, original.length, origin)).equals(Buffer.from(original))).toBe(true);
  });

  describe.runIf(requireTools("lz4"))("against the lz4 command-line tool", () => {
    it("restores a block the reference C implementation wrote", async () => {
      const dir = await mkdtemp(join(tmpdir(), "recomp-lz4-"));
      try {
        const original = fillerBytes(1 << 20, 9);
        await writeFile(join(dir, "raw.bin"), original);
        await execa("lz4", ["-q", "-f", "-B7", "--no-frame-crc", join(dir, "raw.bin"), join(dir, "raw.lz4")]);
        const block = firstFrameBlock(await readFile(join(dir, "raw.lz4")));
        expect(block.compressed).toBe(true);
        expect(Buffer.from(decompressLz4Block(block.bytes, original.length, origin)).equals(Buffer.from(original))).toBe(true);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  it("rejects a stream that expands past the declared size", () => {
    const block = lz4CompressBlock(fillerBytes(5000, 5)) as Uint8Array;
    const error = errorOf(() => decompressLz4Block(block, 4000, origin));
    expect(error.code).toBe("format_invalid");
    expect(error.message).toMatch(/overruns the 0xfa0-byte output/);
    expect(error.location.keyPath).toBe("segments.text");
  });

  it("rejects a stream that stops short of the declared size", () => {
    const block = lz4CompressBlock(fillerBytes(5000, 5)) as Uint8Array;
    expect(errorOf(() => decompressLz4Block(block, 5001, origin)).message).toMatch(/expands to 0x1388 bytes, the header says 0x1389/);
  });

  it("rejects a match offset before the start of the output", () => {
    // token: 1 literal, match length 4; literal 'A'; offset 2 (only 1 byte written so far).
    const error = errorOf(() => decompressLz4Block(Uint8Array.from([0x10, 0x41, 0x02, 0x00, 0x00]), 5, origin));
    expect(error.message).toMatch(/match offset 2 points before the start/);
    expect(error.location.offset).toBe(0x102);
  });

  it("rejects a literal run past the end of the input", () => {
    expect(errorOf(() => decompressLz4Block(Uint8Array.from([0x50, 0x41, 0x42]), 5, origin)).message).toMatch(/runs past the end of the input/);
  });

  it("refuses a declared size no LZ4 block of this length can reach, before allocating", () => {
    expect(errorOf(() => decompressLz4Block(new Uint8Array(4), 0xffffffff, origin)).message).toMatch(/cannot expand/);
  });
});
