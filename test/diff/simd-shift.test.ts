// Advanced SIMD shift by immediate (vector, scalar, narrowing, long) and modified immediate against qemu-aarch64.
import { describe, expect, it } from "vitest";
import { requireTools } from "../helpers/tools.js";
import { differences, makeCases, type InstructionClass } from "./a64-harness.js";

const vdn = [0, 5];
const classes: InstructionClass[] = [
  { name: "shift by immediate", mask: 0x9f800400, value: 0x0f000400, registers: vdn },
  { name: "scalar shift by immediate", mask: 0xdfc00400, value: 0x5f400400, registers: vdn },
  { name: "scalar shift narrow", mask: 0xdfc08400, value: 0x5f008400, registers: vdn },
  { name: "modified immediate", mask: 0x9ff80c00, value: 0x0f000400, registers: [0] },
];

describe.runIf(requireTools("aarch64-linux-gnu-gcc", "qemu-aarch64", "cc", "make"))("Advanced SIMD shifts and immediates vs qemu-aarch64", () => {
  it("leaves every register, flag and FPSR.QC as qemu does", async () => {
    const cases = makeCases(classes, 220, 10_300);
    for (const cls of classes) expect(cases.filter((c) => c.owner === cls.name).length, cls.name).toBeGreaterThanOrEqual(200);
    expect(await differences(cases)).toEqual([]);
  }, 300_000);
});
