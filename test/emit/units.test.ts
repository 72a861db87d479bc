// The assignment of lifted functions to translation units: stable under C-only edits, bounded in size.
import { describe, expect, it } from "vitest";
import type { IrFunction } from "../../src/config/module-json.js";
import { assignUnits, instructionCount, isOversized, unitInstructionLimit } from "../../src/emit/units.js";

/** A function at `entry` of `size` instructions (each `mov x0, #imm`), the immediate of every one `imm`. */
function fn(entry: number, size: number, imm = 1): IrFunction {
  const ops = Array.from({ length: size }, (_, i) => [
    { op: "insn" as const, pc: `0x${(entry + 4 * i).toString(16)}`, word: "0xd2800020", asm: "mov x0, #1" },
    { op: "const_i64" as const, dst: "x0", imm: `0x${imm.toString(16)}` },
  ]).flat();
  const block = { label: `b_${entry.toString(16)}`, start: `0x${entry.toString(16)}`, ops, terminator: { op: "ret" as const, src: "x30" } };
  return { name: `fn_${entry.toString(16)}`, entry: `0x${entry.toString(16)}`, blocks: [block] };
}

const layout = (functions: readonly IrFunction[]): string[][] => assignUnits(functions).map((unit) => unit.functions.map((f) => f.entry));

describe("assignUnits", () => {
  const sizes = Array.from({ length: 600 }, (_, i) => (i % 97 === 5 ? unitInstructionLimit + 300 : 40 + ((i * 37) % 400)));
  const functions = sizes.map((size, i) => fn(0x10000 + i * 0x10000, size));

  it("keeps every unit within the instruction limit unless one function alone exceeds it", () => {
    const units = assignUnits(functions);
    expect(units.flatMap((unit) => unit.functions)).toEqual(functions);
    for (const unit of units) {
      const total = unit.functions.reduce((sum, f) => sum + instructionCount(f), 0);
      if (unit.functions.length > 1) expect(total).toBeLessThanOrEqual(unitInstructionLimit);
    }
    const huge = units.filter((unit) => unit.functions.some((f) => instructionCount(f) > unitInstructionLimit));
    expect(huge.length).toBe(sizes.filter((size) => size > unitInstructionLimit).length);
    for (const unit of huge) expect(unit.functions).toHaveLength(1);
    expect(units.filter(isOversized)).toEqual(huge);
    expect(new Set(units.map((unit) => unit.path)).size).toBe(units.length);
  });

  it("gives the same units when one function's code changes but not its size", () => {
    const edited = functions.map((f, i) => (i === 300 ? fn(0x10000 + i * 0x10000, sizes[i] ?? 0, 7) : f));
    expect(layout(edited)).toEqual(layout(functions));
    const before = assignUnits(functions);
    const after = assignUnits(edited);
    const changed = after.filter((unit, i) => JSON.stringify(unit) !== JSON.stringify(before[i]));
    expect(changed).toHaveLength(1);
  });
});
