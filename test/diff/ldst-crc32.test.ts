// CRC32 and CRC32C of every width against qemu-aarch64.
import { describe, expect, it } from "vitest";
import { requireTools } from "../helpers/tools.js";
import { differences, makeCases, type InstructionClass } from "./a64-harness.js";

const classes: InstructionClass[] = [
  // crc32[c]{b,h,w,x}: sf, Rm, C, sz, Rn, Rd vary (sf/sz combinations the architecture leaves unallocated are skipped).
  { name: "crc32", mask: 0x7fe0e000, value: 0x1ac04000, registers: [0, 5, 16] },
];

describe.runIf(requireTools("aarch64-linux-gnu-gcc", "qemu-aarch64", "cc", "make"))("CRC32 vs qemu-aarch64", () => {
  it("gives qemu's accumulator for random values of every width and polynomial", async () => {
    const cases = makeCases(classes, 240, 9100);
    expect(cases.length).toBe(240);
    expect(await differences(cases)).toEqual([]);
  }, 120_000);
});
