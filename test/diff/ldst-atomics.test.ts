// LSE atomics (ld<op>, st<op>, swp, cas, casp), ldapr and the exclusive pairs against qemu-aarch64 (-cpu max has
// LSE and RCpc). Every access goes through x7, which points into the case's scratch area (16-byte aligned).
import { describe, expect, it } from "vitest";
import { requireTools } from "../helpers/tools.js";
import { differences, makeCases, type InstructionClass } from "./a64-harness.js";

const base: [number, number, number] = [5, 5, 7];

const classes: InstructionClass[] = [
  // ld<op>/swp of every size and ordering: Rs, Rt vary in x0..x7.
  { name: "ld<op>/swp", mask: 0x3f200c00, value: 0x38200000, registers: [0, 16], memory: true, fixed: [base] },
  // st<op>: Rt = xzr, no acquire.
  { name: "st<op>", mask: 0x3fa08c00, value: 0x38200000, registers: [16], memory: true, fixed: [base, [0, 5, 31]] },
  // ldapr{b,h}.
  { name: "ldapr", mask: 0x3ffffc00, value: 0x38bfc000, registers: [0], memory: true, fixed: [base] },
  // cas{a,l,al}{b,h}.
  { name: "cas", mask: 0x3fa07c00, value: 0x08a07c00, registers: [0, 16], memory: true, fixed: [base] },
  // casp{a,l,al} of w and x pairs (odd registers are unallocated and skipped).
  { name: "casp", mask: 0xbfa07c00, value: 0x08207c00, registers: [0, 16], memory: true, fixed: [base] },
  // ldxp/ldaxp/stxp/stlxp of w and x pairs.
  { name: "ldxp/stxp", mask: 0xbfa00000, value: 0x88200000, registers: [0, 10, 16], memory: true, fixed: [base] },
];

describe.runIf(requireTools("aarch64-linux-gnu-gcc", "qemu-aarch64", "cc", "make"))("atomics vs qemu-aarch64", () => {
  it("leaves registers and memory as qemu does", async () => {
    const cases = makeCases(classes, 60, 9500);
    for (const cls of classes) expect(cases.filter((c) => c.owner === cls.name).length, cls.name).toBeGreaterThan(cls.name === "ldapr" ? 20 : 50);
    expect(await differences(cases)).toEqual([]);
  }, 180_000);
});
