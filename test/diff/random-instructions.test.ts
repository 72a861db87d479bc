// Integer instruction semantics against qemu-aarch64: random words of every data-processing class (registers
// x0..x7), each on random register, V register, flag and FP-control state (test/diff/a64-harness.ts).
import { describe, expect, it } from "vitest";
import { requireTools } from "../helpers/tools.js";
import { classes } from "../lift/a64-classes.js";
import { differences, makeCases, type InstructionClass } from "./a64-harness.js";

/** The register fields (low bit positions) of each class, forced to x0..x7 so the harness keeps its own. */
const registerFields: Record<string, number[]> = {
  "add/sub immediate": [0, 5],
  "logical immediate": [0, 5],
  "move wide": [0],
  bitfield: [0, 5],
  extract: [0, 5, 16],
  "logical shifted": [0, 5, 16],
  "add/sub shifted": [0, 5, 16],
  "add/sub extended": [0, 5, 16],
  "adc/sbc": [0, 5, 16],
  "ccmp/ccmn": [5, 16],
  "conditional select": [0, 5, 16],
  "two source": [0, 5, 16],
  "one source": [0, 5],
  "three source": [0, 5, 10, 16],
};
const perClass = 30;

const integerClasses: InstructionClass[] = Object.entries(registerFields).map(([name, registers]) => {
  const [mask, value] = classes[name];
  return { name, mask, value, registers };
});

describe.runIf(requireTools("aarch64-linux-gnu-gcc", "qemu-aarch64", "cc", "make"))("random instructions vs qemu-aarch64", () => {
  it("leaves every register and flag as qemu does", async () => {
    const cases = makeCases(integerClasses, perClass, 100);
    expect(cases.length).toBe(integerClasses.length * perClass);
    expect(await differences(cases)).toEqual([]);
  }, 120_000);
});
