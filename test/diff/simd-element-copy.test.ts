// Advanced SIMD by element (vector and scalar), copy, permutes, ext and tbl/tbx against qemu-aarch64.
import { describe, expect, it } from "vitest";
import { requireTools } from "../helpers/tools.js";
import { differences, makeCases, type InstructionClass } from "./a64-harness.js";

const vdnm = [0, 5, 16];
const elementAndCopy: InstructionClass[] = [
  { name: "by element", mask: 0x9f000400, value: 0x0f000000, registers: vdnm },
  { name: "scalar by element", mask: 0xff001400, value: 0x5f001000, registers: vdnm },
  { name: "copy", mask: 0x9fe08400, value: 0x0e000400, registers: [0, 5] },
  { name: "scalar copy", mask: 0xffe0fc00, value: 0x5e000400, registers: [0, 5] },
];
const permutes: InstructionClass[] = [
  { name: "permute", mask: 0xbf208c00, value: 0x0e000800, registers: vdnm },
  { name: "extract", mask: 0xbfe08400, value: 0x2e000000, registers: vdnm },
  { name: "table lookup", mask: 0xbfe08c00, value: 0x0e000000, registers: vdnm },
];

// Two programs: one function of 1,400 cases overflows the emitter's stack (emit-c.ts pushes a body as arguments).
describe.runIf(requireTools("aarch64-linux-gnu-gcc", "qemu-aarch64", "cc", "make"))("Advanced SIMD by element, copy and permutes vs qemu-aarch64", () => {
  it.each([
    ["by element and copy", elementAndCopy, 10_400],
    ["permutes, ext and tbl/tbx", permutes, 10_500],
  ] as const)("%s: leaves every register, flag and FPSR.QC as qemu does", async (_, classes, seed) => {
    const cases = makeCases(classes, 200, seed);
    for (const cls of classes) expect(cases.filter((c) => c.owner === cls.name).length, cls.name).toBeGreaterThanOrEqual(200);
    expect(await differences(cases)).toEqual([]);
  }, 300_000);
});
