// Scalar floating point against qemu-aarch64: data processing 1/2/3 source, compares, conditional compare and
// select, immediate moves, conversions to and from general registers and fixed point; random FPCR (AHP, DN, FZ,
// RMode) and inputs biased toward zeros, infinities, NaNs and denormals.
import { describe, expect, it } from "vitest";
import { requireTools } from "../helpers/tools.js";
import { differences, makeCases, scratchBytes, type Case, type InstructionClass } from "./a64-harness.js";

const classes: InstructionClass[] = [
  { name: "fp 1-source", mask: 0xff207c00, value: 0x1e204000, registers: [0, 5] },
  { name: "fp 2-source", mask: 0xff200c00, value: 0x1e200800, registers: [0, 5, 16] },
  { name: "fp 3-source", mask: 0xff000000, value: 0x1f000000, registers: [0, 5, 16, 10] },
  { name: "fp compare", mask: 0xff203c07, value: 0x1e202000, registers: [5, 16] },
  { name: "fp conditional compare", mask: 0xff200c00, value: 0x1e200400, registers: [5, 16] },
  { name: "fp conditional select", mask: 0xff200c00, value: 0x1e200c00, registers: [0, 5, 16] },
  { name: "fp immediate", mask: 0xff201fe0, value: 0x1e201000, registers: [0] },
  { name: "fp/integer conversion", mask: 0x7f20fc00, value: 0x1e200000, registers: [0, 5] },
  { name: "fixed-point to fp", mask: 0x7f7e8000, value: 0x1e028000, registers: [0, 5] },
  { name: "fp to fixed-point", mask: 0x7f7e8000, value: 0x1e188000, registers: [0, 5] },
];

/**
 * Fused multiply-adds whose exact result lies just below or just above ±min, the smallest normal, and rounds
 * to it: Arm's tininess is before rounding (UFC, or a flush to zero under FZ), the host's after. [a, n, m] as
 * raw bits; fmadd/fmsub/fnmadd/fnmsub (d0 = ±a ± n*m) in every rounding mode, with and without FZ.
 */
const fusedAtMin: { fmt: "single" | "double"; operands: [bigint, bigint, bigint] }[] = [
  { fmt: "double", operands: [0x0010000000000000n, 0x1e30000000000000n, 0x1e30000000000000n] }, // DBL_MIN ± 2^-1080
  { fmt: "double", operands: [0x0010000000000000n, 0x3c9fffffffffffffn, 0x0010000000000000n] }, // DBL_MIN ± a product below 2^-1076
  { fmt: "double", operands: [0x0010000000000001n, 0x3cb0000000000000n, 0x0010000000000000n] }, // (DBL_MIN + 2^-1074) - 2^-1074: exact
  { fmt: "single", operands: [0x00800000n, 0x0d800000n, 0x0d800000n] }, // FLT_MIN ± 2^-200: a double rounding lands on FLT_MIN
  { fmt: "single", operands: [0x00800000n, 0x1c800000n, 0x1c800000n] }, // FLT_MIN ± 2^-140
];

function fusedAtMinCases(): Case[] {
  const cases: Case[] = [];
  for (const { fmt, operands } of fusedAtMin) {
    for (const variant of [0, 1, 2, 3]) {
      // fmadd d0, d1, d2, d3 (o1 = bit 21, o0 = bit 15); single: type 00.
      const word = ((fmt === "double" ? 0x1f400000 : 0x1f000000) | ((variant >> 1) << 21) | (2 << 16) | ((variant & 1) << 15) | (3 << 10) | (1 << 5)) >>> 0;
      for (const fpcr of [0n, 1n, 2n, 3n].flatMap((mode) => [mode << 22n, (mode << 22n) | (1n << 24n)])) {
        const inputs = new Array<bigint>(8 + 16 + 3).fill(0n);
        [inputs[8 + 6], inputs[8 + 2], inputs[8 + 4]] = operands;
        inputs[8 + 16 + 1] = fpcr;
        cases.push({ owner: `fused ${fmt} at the smallest normal`, word, inputs, scratch: Buffer.alloc(scratchBytes), memory: false });
      }
    }
  }
  return cases;
}

/** Groups small enough for one generated program each (the emitter writes the cases as one C function). */
const groups = [classes.slice(0, 3), classes.slice(3, 7), classes.slice(7)];

describe.runIf(requireTools("aarch64-linux-gnu-gcc", "qemu-aarch64", "cc", "make"))("scalar FP vs qemu-aarch64", () => {
  groups.forEach((group, index) => {
    it(`leaves every register, NZCV, FPSR and FPCR as qemu does: ${group.map((c) => c.name).join(", ")}`, async () => {
      const cases = makeCases(group, 200, 10_000 + index * 100);
      for (const cls of group) expect(cases.filter((c) => c.owner === cls.name).length, cls.name).toBeGreaterThanOrEqual(200);
      expect(await differences(cases)).toEqual([]);
    }, 300_000);
  });

  it("raises UFC as qemu does for fused results that round to the smallest normal", async () => {
    expect(await differences(fusedAtMinCases())).toEqual([]);
  }, 300_000);
});
