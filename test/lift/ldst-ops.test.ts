// The IR of structure loads/stores, atomics and CRC32: what the C helpers and ops receive.
import { describe, expect, it } from "vitest";
import { decodeA64 } from "../../src/lift/index.js";

const ops = (word: number) => {
  const decoded = decodeA64(word, 0x1000n);
  return decoded.supported ? decoded.ops : decoded.reason;
};

describe("structure loads and stores, atomics and CRC32 as IR", () => {
  it("post-indexes a structure load after the access, from the base as it was", () => {
    // ld1 {v0.8h, v1.8h}, [sp], x0
    expect(ops(0x4cc0a7e0)).toEqual([
      { op: "mov_i64", dst: "t0", src: "sp" },
      { op: "helper", fn: "ld_multiple", args: ["t0", 0, 2, 1, 1, 1] },
      { op: "add_i64", dst: "sp", lhs: "t0", rhs: "x0" },
    ]);
    // ld4 {v0.b-v3.b}[8], [x0], #4
    expect(ops(0x4dff2000)).toEqual([
      { op: "mov_i64", dst: "t0", src: "x0" },
      { op: "helper", fn: "ld_single", args: ["t0", 0, 4, 0, 8] },
      { op: "add_i64", dst: "x0", lhs: "t0", rhs: "#0x4" },
    ]);
  });

  it("gives atomics' old values to general registers through IR ops, and drops them for st<op>", () => {
    expect(ops(0xf820003f)).toEqual([{ op: "atomic_rmw", operation: "add", bits: 64, dst: "xzr", src: "x0", addr: "x1" }]); // stadd x0, [x1]
    expect(ops(0x38e08020)).toEqual([{ op: "atomic_rmw", operation: "swp", bits: 8, dst: "x0", src: "x0", addr: "x1" }]); // swpalb w0, w0, [x1]
    expect(ops(0xc8e0fc20)).toEqual([{ op: "atomic_cas", bits: 64, dst: "x0", expected: "x0", src: "x0", addr: "x1" }]); // casal x0, x0, [x1]
    expect(ops(0x48207c42)).toEqual([
      { op: "atomic_casp", bits: 64, dst: ["x0", "x1"], expected: ["x0", "x1"], src: ["x2", "x3"], addr: "x2" },
    ]); // casp x0, x1, x2, x3, [x2]
    expect(ops(0xc8200440)).toEqual([{ op: "store_excl_pair", bits: 64, status: "x0", src: ["x0", "x1"], addr: "x2" }]); // stxp w0, x0, x1, [x2]
  });

  it("returns the CRC accumulator through the helper's dst", () => {
    expect(ops(0x9ac25c20)).toEqual([{ op: "helper", fn: "crc32", args: ["x1", "x2", 8, 1], dst: "x0" }]); // crc32cx w0, w1, x2
  });

  it("leaves dc cvap, odd casp pairs and cas with Rt2 != 31 unsupported, as objdump and the Cortex-A57 do", () => {
    for (const word of [0xd50b7c20, 0x08207c41, 0x08a07820]) expect(decodeA64(word, 0n).supported, word.toString(16)).toBe(false);
  });
});
