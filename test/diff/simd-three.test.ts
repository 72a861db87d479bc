// Advanced SIMD three same and three different (integer, vector and scalar) against qemu-aarch64.
import { describe, expect, it } from "vitest";
import { requireTools } from "../helpers/tools.js";
import { differences, makeCases, type InstructionClass } from "./a64-harness.js";

const vdnm = [0, 5, 16];
const classes: InstructionClass[] = [
  { name: "three same", mask: 0x9f200400, value: 0x0e200400, registers: vdnm },
  { name: "scalar three same", mask: 0xdf200400, value: 0x5e200400, registers: vdnm },
  { name: "three different", mask: 0x9f200c00, value: 0x0e200000, registers: vdnm },
  { name: "scalar three different", mask: 0xff209c00, value: 0x5e209000, registers: vdnm },
];

describe.runIf(requireTools("aarch64-linux-gnu-gcc", "qemu-aarch64", "cc", "make"))("Advanced SIMD three same/different vs qemu-aarch64", () => {
  it("leaves every register, flag and FPSR.QC as qemu does", async () => {
    const cases = makeCases(classes, 250, 10_100);
    for (const cls of classes) expect(cases.filter((c) => c.owner === cls.name).length, cls.name).toBeGreaterThanOrEqual(200);
    expect(await differences(cases)).toEqual([]);
  }, 300_000);
});
