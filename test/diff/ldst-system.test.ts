// Hints (bti, the PAuth hints, esb, csdb, hint #imm), dc zva and EL0 cache maintenance against qemu-aarch64 as a
// Cortex-A57 (the Switch's core: no PAuth, no BTI, so every such hint is a nop, and dc zva clears 64 bytes).
import { describe, expect, it } from "vitest";
import { decodeA64 } from "../../src/lift/index.js";
import { requireTools } from "../helpers/tools.js";
import { differences, makeCases, type InstructionClass } from "./a64-harness.js";

const classes: InstructionClass[] = [
  // Every hint number (CRm:op2).
  { name: "hint", mask: 0xfffff01f, value: 0xd503201f, registers: [] },
  // dc zva/cvac/cvau/civac, ic ivau on an address inside the scratch area (x7); dc cvap/cvadp (ARMv8.2/8.5)
  // are UNDEFINED on the Cortex-A57 and in qemu-aarch64, so they stay unsupported.
  { name: "dc/ic by address", mask: 0xfff8f000, value: 0xd5087000, registers: [], memory: true, fixed: [[16, 3, 3], [0, 5, 7]] },
  // dc zva alone, so every case zeroes a block.
  { name: "dc zva", mask: 0xffffffe0, value: 0xd50b7420, registers: [], memory: true, fixed: [[0, 5, 7]] },
];

describe.runIf(requireTools("aarch64-linux-gnu-gcc", "qemu-aarch64", "cc", "make"))("hints and cache maintenance vs qemu-aarch64", () => {
  it("leaves registers and memory as a Cortex-A57 does", async () => {
    const cases = makeCases(classes, 100, 9300);
    expect(cases.filter((c) => c.owner === "hint").length).toBe(100);
    expect(cases.filter((c) => c.owner === "dc/ic by address").length).toBeGreaterThan(40);
    expect(await differences(cases, { cpu: "cortex-a57" })).toEqual([]);
  }, 120_000);
});

describe("traps that name themselves", () => {
  it("lifts udf, hlt and brk as traps with their immediates, and SVE/SME words as traps that say so", () => {
    const flow = (word: number) => {
      const decoded = decodeA64(word, 0x1000n);
      return decoded.supported ? [decoded.mnemonic, decoded.operands, decoded.flow] : decoded.reason;
    };
    expect(flow(0x0000abcd)).toEqual(["udf", "#43981", { kind: "trap", reason: "udf #43981 (permanently undefined)" }]);
    expect(flow(0xd4412340)).toEqual(["hlt", "#0x91a", { kind: "trap", reason: "hlt #0x91a (halting debug breakpoint)" }]);
    expect(flow(0xd4200020)).toEqual(["brk", "#0x1", { kind: "trap", reason: "brk #0x1" }]);
    expect(flow(0x04200000)).toEqual([".inst", "0x04200000", { kind: "trap", reason: "SVE instruction 0x04200000: the Cortex-A57 has no SVE" }]);
    expect(flow(0xc0800000)).toEqual([".inst", "0xc0800000", { kind: "trap", reason: "SME instruction 0xc0800000: the Cortex-A57 has no SME" }]);
  });
});
