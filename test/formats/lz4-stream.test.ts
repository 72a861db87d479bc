import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decompressLz4Block } from "../../src/formats/lz4.js";
import { decompressLz4BlockStreamed, lz4BlockOf, lz4WasmAvailable } from "../../src/formats/lz4-stream.js";
import { RecompError } from "../../src/util/errors.js";
import { lz4CompressBlock } from "../fixtures/nso-build.js";
import { fillerBytes } from "../fixtures/segments.js";

const origin = { label: "x.nso", field: "segments.text", offset: 0x100 };

/** The streamed output joined, and how many pieces it came in. */
async function streamed(block: Uint8Array, outputSize: number, chunkBytes: number): Promise<{ output: Buffer; pieces: number }> {
  const pieces: Buffer[] = [];
  await decompressLz4BlockStreamed(lz4BlockOf(block), outputSize, origin, (piece) => void pieces.push(Buffer.from(piece)), chunkBytes);
  return { output: Buffer.concat(pieces), pieces: pieces.length };
}

/** What a decoder says about a block: its output, or its error message. */
async function verdict(decode: () => Uint8Array | Promise<Uint8Array>): Promise<{ output: Buffer } | { error: string }> {
  try {
    return { output: Buffer.from(await decode()) };
  } catch (error) {
    if (!(error instanceof RecompError)) throw error;
    return { error: error.message };
  }
}

/** Data made of runs that repeat at short periods, so overlapping matches cross window slides. */
function periodicRuns(length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (let run = 0; at < length; run += 1) {
    const period = [1, 2, 3, 7, 8, 9, 100, 5000][run % 8];
    const runLength = Math.min(length - at, 20_000 + ((run * 7919) % 90_000));
    for (let i = 0; i < runLength; i += 1) out[at + i] = i < period ? (run * 31 + i * 17) & 0xff : out[at + i - period];
    at += runLength;
  }
  return out;
}

describe("streaming LZ4 decompression (WebAssembly decoder)", () => {
  it("uses the WebAssembly module that `npm run build` compiles", () => {
    expect(lz4WasmAvailable()).toBe(true);
  });

  it("restores large blocks through windows of every size, sliding many times", async () => {
    for (const original of [fillerBytes(600_000, 3), periodicRuns(700_000)]) {
      const block = lz4CompressBlock(original) as Uint8Array;
      for (const chunkBytes of [1, 1000, 4096, 65_536, 200_000, 1 << 20]) {
        const { output, pieces } = await streamed(block, original.length, chunkBytes);
        expect(output.equals(Buffer.from(original))).toBe(true);
        if (chunkBytes <= 65_536) expect(pieces).toBeGreaterThan(2);
      }
    }
  });

  it("gives our TypeScript decoder's bytes or its located error, for valid, mutated and random blocks", async () => {
    const valid = fc.uint8Array({ minLength: 1, maxLength: 3000 }).map((bytes) => {
      // Repeat the random bytes so lz4js finds matches.
      const data = Uint8Array.from({ length: bytes.length * 3 }, (_, i) => bytes[i % bytes.length]);
      return { block: lz4CompressBlock(data) ?? new Uint8Array([0x00]), size: data.length };
    });
    const mutated = fc
      .tuple(valid, fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }), fc.integer({ min: -8, max: 8 }))
      .map(([{ block, size }, edits, sizeChange]) => {
        const copy = Uint8Array.from(block);
        for (const [at, value] of edits) copy[at % copy.length] = value;
        return { block: copy, size: Math.max(0, size + sizeChange) };
      });
    const random = fc.record({ block: fc.uint8Array({ minLength: 0, maxLength: 200 }), size: fc.nat(2000) });
    await fc.assert(
      fc.asyncProperty(fc.oneof(valid, mutated, random), fc.integer({ min: 1, max: 5000 }), async ({ block, size }, chunkBytes) => {
        const ours = await verdict(() => decompressLz4Block(block, size, origin));
        const stream = await verdict(async () => (await streamed(block, size, chunkBytes)).output);
        expect(stream).toEqual(ours);
      }),
      { numRuns: 10_000, seed: 99 },
    );
  });

  it("agrees with our decoder on mutated blocks large enough for the window to slide", async () => {
    const original = periodicRuns(300_000);
    const block = lz4CompressBlock(original) as Uint8Array;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(block.length - 1), fc.nat(255)), { minLength: 1, maxLength: 3 }), fc.integer({ min: 500, max: 70_000 }), async (edits, chunkBytes) => {
        const copy = Uint8Array.from(block);
        for (const [at, value] of edits) copy[at] = value;
        const stream = await verdict(async () => (await streamed(copy, original.length, chunkBytes)).output);
        expect(stream).toEqual(await verdict(() => decompressLz4Block(copy, original.length, origin)));
      }),
      { numRuns: 200, seed: 5 },
    );
  });

  it("names the byte where a corrupt block goes wrong, as our decoder does", async () => {
    const corrupt = Uint8Array.from([0x10, 0x41, 0x02, 0x00, 0x00]);
    await expect(streamed(corrupt, 5, 1000)).rejects.toThrow(/match offset 2 points before the start/);
  });

  it("keeps a piece intact until the sink's promise settles, and decodes another block meanwhile", async () => {
    const outer = fillerBytes(400_000, 6);
    const inner = fillerBytes(90_000, 7);
    const outerBlock = lz4CompressBlock(outer) as Uint8Array;
    const innerBlock = lz4CompressBlock(inner) as Uint8Array;
    const pieces: Buffer[] = [];
    await decompressLz4BlockStreamed(
      lz4BlockOf(outerBlock),
      outer.length,
      origin,
      async (piece) => {
        const copy = Buffer.from(piece);
        // A slow consumer: the decoder fills the other window meanwhile, and must not touch this one.
        expect((await streamed(innerBlock, inner.length, 10_000)).output.equals(Buffer.from(inner))).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 5));
        expect(Buffer.from(piece).equals(copy)).toBe(true);
        pieces.push(copy);
      },
      50_000,
    );
    expect(Buffer.concat(pieces).equals(Buffer.from(outer))).toBe(true);
  });
});
