// The lifter's fast text paths against the plain ones they replace: hex digits from a table against
// toString(16), and module.json's bytes in 8 MiB pieces against one UTF-8 encoding of the whole text.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hex64, hexDigits, hexImm, hexOf, irImm } from "../../src/lift/a64/bits.js";
import { inPieces } from "../../src/lift/index.js";

const mask64 = (1n << 64n) - 1n;

describe("hex text from a table", () => {
  it("gives toString(16)'s digits for every safe non-negative integer, as number and as bigint", () => {
    const edges = [0, 1, 15, 16, 255, 256, 0xffff, 0x10000, 0xffffff, 0x1000000, 0xffffffff, 0x100000000, Number.MAX_SAFE_INTEGER];
    for (const value of edges) {
      expect(hexDigits(value)).toBe(value.toString(16));
      expect(hexOf(BigInt(value))).toBe(value.toString(16));
    }
    fc.assert(
      fc.property(fc.maxSafeNat(), (value) => {
        expect(hexDigits(value)).toBe(value.toString(16));
        expect(hexOf(value)).toBe(value.toString(16));
      }),
    );
  });

  it("formats 64-bit immediates and addresses as toString(16) does, negative and above 2^53 included", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 64n), max: 1n << 64n }), (value) => {
        expect(irImm(value)).toBe(`#0x${(value & mask64).toString(16)}`);
        expect(hex64(value)).toBe(`0x${(value & mask64).toString(16)}`);
        expect(hexImm(value)).toBe(`#0x${value.toString(16)}`);
      }),
    );
    expect(irImm(-1)).toBe("#0xffffffffffffffff");
  });
});

describe("module.json in pieces", () => {
  it("gives the UTF-8 bytes of the whole text, with chunks larger than a piece and non-ASCII names", () => {
    const chunks = ["{\"name\":\"é—☃\"}", "x".repeat(3_000_000), "ü".repeat(1_500_000), "\n", "z".repeat(9 << 20)];
    const pieces = [...inPieces(chunks)];
    expect(pieces.length).toBeGreaterThan(1);
    expect(Buffer.concat(pieces).equals(Buffer.from(chunks.join(""), "utf8"))).toBe(true);
    expect([...inPieces([])]).toEqual([]);
  });
});
