import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decompressLz4Block } from "../../src/formats/lz4.js";
import { decompressLz4BlockAsync, nativeLz4Available } from "../../src/formats/lz4-native.js";
import { RecompError } from "../../src/util/errors.js";
import { errorOf } from "../helpers/errors.js";
import { lz4CompressBlock } from "../fixtures/nso-build.js";
import { fillerBytes } from "../fixtures/segments.js";

const origin = { label: "x.nso", field: "segments.text", offset: 0x100 };

const decodeAsync = (block: Uint8Array, outputSize: number): Promise<Uint8Array> =>
  decompressLz4BlockAsync(block.length, (target) => Promise.resolve(target.set(block)), outputSize, origin);

/** What our own decoder says about a block: its output, or its error message. */
function ownVerdict(block: Uint8Array, outputSize: number): { output: Buffer } | { error: string } {
  try {
    return { output: Buffer.from(decompressLz4Block(block, outputSize, origin)) };
  } catch (error) {
    if (!(error instanceof RecompError)) throw error;
    return { error: error.message };
  }
}

describe("LZ4 through the native decoder", () => {
  it("loads on this platform (lz4-napi ships a build for it)", () => {
    expect(nativeLz4Available()).toBe(true);
  });

  it("restores blocks lz4js wrote, large and small", async () => {
    for (const [length, seed] of [
      [1, 1],
      [1000, 2],
      [300_000, 4],
      [3 << 20, 5],
    ] as const) {
      const original = fillerBytes(length, seed);
      const block = lz4CompressBlock(original);
      if (block === undefined) continue;
      expect(Buffer.from(await decodeAsync(block, length)).equals(Buffer.from(original))).toBe(true);
    }
  });

  it("agrees with our decoder on valid, mutated and random blocks: the same bytes, or our located error", async () => {
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
      fc.asyncProperty(fc.oneof(valid, mutated, random), async ({ block, size }) => {
        const own = ownVerdict(block, size);
        if ("output" in own) {
          expect(Buffer.from(await decodeAsync(block, size)).equals(own.output)).toBe(true);
        } else {
          const error = await errorOf(decodeAsync(block, size));
          expect(error.message).toBe(own.error);
        }
      }),
      { numRuns: 10_000, seed: 99 },
    );
  });

  it("names the byte where a corrupt block goes wrong, as our decoder does", async () => {
    const error = await errorOf(decodeAsync(Uint8Array.from([0x10, 0x41, 0x02, 0x00, 0x00]), 5));
    expect(error.message).toMatch(/match offset 2 points before the start/);
    expect(error.location.offset).toBe(0x102);
  });
});
