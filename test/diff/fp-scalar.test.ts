// Scalar floating point against qemu-aarch64: data processing 1/2/3 source, compares, conditional compare and
// select, immediate moves, conversions to and from general registers and fixed point; random FPCR (AHP, DN, FZ,
// RMode) and inputs biased toward zeros, infinities, NaNs and denormals.
import { describe, expect, it } from "vitest";
import { requireTools } from "../helpers/tools.js";
import { differences, makeCases, type InstructionClass } from "./a64-harness.js";

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
});
