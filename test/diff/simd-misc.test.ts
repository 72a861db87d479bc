// Advanced SIMD two-register misc (integer, vector and scalar, narrowing) and across lanes against qemu-aarch64.
import { describe, expect, it } from "vitest";
import { requireTools } from "../helpers/tools.js";
import { differences, makeCases, type InstructionClass } from "./a64-harness.js";

const vdn = [0, 5];
const classes: InstructionClass[] = [
  { name: "two-register misc", mask: 0x9f3e0c00, value: 0x0e200800, registers: vdn },
  { name: "scalar two-register misc", mask: 0xdfff0c00, value: 0x5ee00800, registers: vdn },
  { name: "scalar narrow", mask: 0xdf3f9c00, value: 0x5e210800, registers: vdn },
  { name: "across lanes", mask: 0x9f3e6c00, value: 0x0e302800, registers: vdn },
];

describe.runIf(requireTools("aarch64-linux-gnu-gcc", "qemu-aarch64", "cc", "make"))("Advanced SIMD two-register misc and across lanes vs qemu-aarch64", () => {
  it("leaves every register, flag and FPSR.QC as qemu does", async () => {
    const cases = makeCases(classes, 220, 10_200);
    for (const cls of classes) expect(cases.filter((c) => c.owner === cls.name).length, cls.name).toBeGreaterThanOrEqual(200);
    expect(await differences(cases)).toEqual([]);
  }, 300_000);
});
