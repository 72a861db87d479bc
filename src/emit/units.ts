// emit: the stable assignment of lifted functions to C translation units (one unit changes when one function does).
import { createHash } from "node:crypto";
import type { IrFunction } from "../config/module-json.js";

/** Functions per unit on average: small enough for parallel builds and low compiler memory, large enough to inline. */
export const unitSpread = 32;

/**
 * Lifted instructions one unit holds at most, unless a single function is larger (it then has a unit of its own):
 * compile time and compiler memory grow with a unit's code, so this bounds the rebuild after a one-function change
 * (a few seconds for 4096 instructions at -O2) and keeps -j<cores> from waiting on one huge unit at the end.
 */
export const unitInstructionLimit = 4096;

export interface GuestUnit {
  /** File name in the project, e.g. "guest/u_7100001000.c" (named by its first function's address). */
  path: string;
  functions: IrFunction[];
}

/** A unit over unitInstructionLimit: it holds one function larger than the limit (the Makefile compiles it with $(HUGEOPT)). */
export function isOversized(unit: GuestUnit): boolean {
  return unit.functions.reduce((sum, fn) => sum + instructionCount(fn), 0) > unitInstructionLimit;
}

/** A function's lifted instructions (its `insn` ops): changes only when its machine code does. */
export function instructionCount(fn: IrFunction): number {
  let count = 0;
  for (const block of fn.blocks) for (const op of block.ops) if (op.op === "insn") count += 1;
  return count;
}

/**
 * A function starts a new unit when a hash of its entry address falls in 1/unitSpread of the range, so
 * boundaries depend on addresses alone: editing a function's body changes only its own unit, and adding or
 * removing a function changes only the unit it falls in (or splits/joins two at its own address).
 */
function startsUnit(entry: string): boolean {
  const digest = createHash("sha256").update(entry.toLowerCase()).digest();
  return (digest.readUInt32BE(0) % unitSpread) === 0;
}

const unitName = (address: string): string => `guest/u_${address.slice(2).toLowerCase()}.c`;

/**
 * `functions` sorted by entry address; the first unit is "guest/u_head.c" when the lowest function is not a boundary.
 * A unit also ends before a function that would take it over unitInstructionLimit. Such a split depends on
 * instruction counts, which only a change of the machine code alters (not a change of the emitted C), and
 * it moves boundaries only up to the next address boundary.
 */
export function assignUnits(functions: readonly IrFunction[]): GuestUnit[] {
  const units: GuestUnit[] = [];
  let instructions = 0;
  for (const fn of functions) {
    const current = units.at(-1);
    const size = instructionCount(fn);
    if (current === undefined || startsUnit(fn.entry) || instructions + size > unitInstructionLimit) {
      units.push({ path: current === undefined && !startsUnit(fn.entry) ? "guest/u_head.c" : unitName(fn.entry), functions: [fn] });
      instructions = size;
    } else {
      current.functions.push(fn);
      instructions += size;
    }
  }
  return units;
}
