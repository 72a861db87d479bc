// FPCR, FPSR and NZCV through msr/mrs, and SIMD&FP register loads and stores of every size, against qemu-aarch64.
import { describe, expect, it } from "vitest";
import { requireTools } from "../helpers/tools.js";
import { differences, makeCases, type InstructionClass } from "./a64-harness.js";

const classes: InstructionClass[] = [
  // msr/mrs of nzcv, fpcr, fpsr (op0=3 op1=3 CRn=4 CRm=2/4): the harness's own state round trip, plus random values.
  { name: "msr/mrs nzcv", mask: 0xffdfffe0, value: 0xd51b4200, registers: [0] },
  { name: "msr/mrs fpsr", mask: 0xffdfffe0, value: 0xd51b4420, registers: [0] },
  // ldr/str (unsigned offset) of b, h, s, d, q with x7 pointing into the scratch area; offsets kept inside it.
  { name: "ldr/str vector unsigned offset", mask: 0x3f000000, value: 0x3d000000, registers: [0, 5], memory: true, fixed: [[5, 5, 7], [14, 8, 0]] },
  // ldur/stur and pre/post-index of vector registers (imm9 small).
  { name: "ldur/stur vector", mask: 0x3f200000, value: 0x3c000000, registers: [0, 5], memory: true, fixed: [[5, 5, 7], [18, 3, 0], [20, 1, 0]] },
  // ldp/stp/ldnp of s, d, q (imm7 small).
  { name: "ldp/stp vector", mask: 0x3e000000, value: 0x2c000000, registers: [0, 10, 5], memory: true, fixed: [[5, 5, 7], [18, 4, 0]] },
];

describe.runIf(requireTools("aarch64-linux-gnu-gcc", "qemu-aarch64", "cc", "make"))("system registers and vector loads/stores vs qemu-aarch64", () => {
  it("leaves every register, flag, FPCR/FPSR and memory byte as qemu does", async () => {
    const cases = makeCases(classes, 40, 7000);
    for (const cls of classes) expect(cases.filter((c) => c.owner === cls.name).length, cls.name).toBeGreaterThan(20);
    expect(await differences(cases)).toEqual([]);
  }, 120_000);
});
