// Advanced SIMD structure loads and stores (ld1-ld4, st1-st4, ld1r-ld4r; no offset, post-index by immediate and
// by register), and SIMD&FP register loads and stores, against qemu-aarch64. The base is x7, in the middle of the case's scratch area: the largest access
// (64 bytes) stays inside it, and a post-index by register may take it anywhere, since only the base moves.
import { describe, expect, it } from "vitest";
import { requireTools } from "../helpers/tools.js";
import { differences, makeCases, type InstructionClass } from "./a64-harness.js";

const base: [number, number, number] = [5, 5, 7];
const immediate: [number, number, number] = [16, 5, 31];

const classes: InstructionClass[] = [
  { name: "multiple", mask: 0xbfbf0000, value: 0x0c000000, registers: [0], memory: true, fixed: [base] },
  { name: "multiple post-index register", mask: 0xbfa00000, value: 0x0c800000, registers: [0, 16], memory: true, fixed: [base] },
  { name: "multiple post-index immediate", mask: 0xbfa00000, value: 0x0c800000, registers: [0], memory: true, fixed: [base, immediate] },
  { name: "single/replicate", mask: 0xbf9f0000, value: 0x0d000000, registers: [0], memory: true, fixed: [base] },
  { name: "single/replicate post-index register", mask: 0xbf800000, value: 0x0d800000, registers: [0, 16], memory: true, fixed: [base] },
  { name: "single/replicate post-index immediate", mask: 0xbf800000, value: 0x0d800000, registers: [0], memory: true, fixed: [base, immediate] },
  // ldr/str and ldur/stur of B, H, S, D and Q registers (one guest access, or the helper for Q), offsets kept in the scratch area.
  { name: "ldr/str SIMD&FP unsigned offset", mask: 0x3f000000, value: 0x3d000000, registers: [0], memory: true, fixed: [base, [10, 12, 3]] },
  { name: "ldur/stur SIMD&FP", mask: 0x3f200c00, value: 0x3c000000, registers: [0], memory: true, fixed: [base, [12, 9, 0x1f8]] },
  // Lists that wrap from v30/v31 to v0, v1, v2.
  { name: "multiple wrapping", mask: 0xbfbf0000, value: 0x0c000000, registers: [], memory: true, fixed: [base, [1, 4, 15]] },
  { name: "single/replicate wrapping", mask: 0xbf9f0000, value: 0x0d000000, registers: [], memory: true, fixed: [base, [1, 4, 15]] },
];

describe.runIf(requireTools("aarch64-linux-gnu-gcc", "qemu-aarch64", "cc", "make"))("structure loads and stores vs qemu-aarch64", () => {
  it("leaves every V register, the base and memory as qemu does", async () => {
    const cases = makeCases(classes, 50, 9700);
    for (const cls of classes) expect(cases.filter((c) => c.owner === cls.name).length, cls.name).toBe(50);
    expect(await differences(cases)).toEqual([]);
  }, 180_000);
});
