// LSE atomics (ld<op>, st<op>, swp, cas, casp), ldapr and the exclusive pairs against qemu-aarch64 (-cpu max has
// LSE and RCpc). Every access goes through x7, which points into the case's scratch area (16-byte aligned).
import { describe, expect, it } from "vitest";
import { requireTools } from "../helpers/tools.js";
import { type Case, differences, makeCases, scratchBytes, type InstructionClass } from "./a64-harness.js";

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

/**
 * Random memory almost never equals the compare value, so every other cas/casp case first stores its Rs (and
 * Rs+1) where x7 points: the compare succeeds and the new value is written.
 */
function matchCompareValues(cases: Case[]): void {
  cases.forEach((c, i) => {
    if (i % 2 === 1 || (c.owner !== "cas" && c.owner !== "casp")) return;
    const rs = (c.word >>> 16) & 31;
    const bytes = c.owner === "cas" ? 1 << (c.word >>> 30) : 4 << ((c.word >>> 30) & 1);
    const first = c.owner === "cas" ? [rs] : [rs, rs + 1];
    first.forEach((reg, k) => {
      const value = c.inputs[reg] & ((1n << BigInt(bytes * 8)) - 1n);
      for (let b = 0; b < bytes; b++) c.scratch[scratchBytes / 2 + k * bytes + b] = Number((value >> BigInt(8 * b)) & 0xffn);
    });
  });
}

describe.runIf(requireTools("aarch64-linux-gnu-gcc", "qemu-aarch64", "cc", "make"))("atomics vs qemu-aarch64", () => {
  it("leaves registers and memory as qemu does", async () => {
    const cases = makeCases(classes, 60, 9500);
    matchCompareValues(cases);
    for (const cls of classes) expect(cases.filter((c) => c.owner === cls.name).length, cls.name).toBeGreaterThan(cls.name === "ldapr" ? 20 : 50);
    expect(await differences(cases)).toEqual([]);
  }, 180_000);
});
