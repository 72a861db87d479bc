// Test helper: one describe block per Advanced SIMD test file, one qemu program per list of classes.
import { describe, expect, it } from "vitest";
import { requireTools } from "../helpers/tools.js";
import { differences, makeCases, type InstructionClass } from "./a64-harness.js";

/** Register fields of the three-register forms (d, n, m) and the two-register forms (d, n). */
export const vdnm = [0, 5, 16];
export const vdn = [0, 5];

/** [label, classes, seed]: each becomes one program of `perClass` random encodings per class. */
export type Program = readonly [string, InstructionClass[], number];

/** Each program's cases leave every register, flag and FPSR (QC) as qemu-aarch64 does; >= 200 per class. */
export function describeAgainstQemu(title: string, programs: readonly Program[], perClass = 220): void {
  describe.runIf(requireTools("aarch64-linux-gnu-gcc", "qemu-aarch64", "cc", "make"))(`${title} vs qemu-aarch64`, () => {
    it.each(programs)("%s: leaves every register, flag and FPSR.QC as qemu does", async (_, classes, seed) => {
      const cases = makeCases(classes, perClass, seed);
      for (const cls of classes) expect(cases.filter((c) => c.owner === cls.name).length, cls.name).toBeGreaterThanOrEqual(200);
      expect(await differences(cases)).toEqual([]);
    }, 400_000);
  });
}
