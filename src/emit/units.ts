// emit: the stable assignment of lifted functions to C translation units (one unit changes when one function does).
import { createHash } from "node:crypto";
import type { IrFunction } from "../config/module-json.js";

/** Functions per unit on average: small enough for parallel builds and low compiler memory, large enough to inline. */
export const unitSpread = 32;

export interface GuestUnit {
  /** File name in the project, e.g. "guest/u_7100001000.c" (named by its first function's address). */
  path: string;
  functions: IrFunction[];
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

/** `functions` sorted by entry address; the first unit is "guest/u_head.c" when the lowest function is not a boundary. */
export function assignUnits(functions: readonly IrFunction[]): GuestUnit[] {
  const units: GuestUnit[] = [];
  for (const fn of functions) {
    const current = units.at(-1);
    if (current === undefined || startsUnit(fn.entry)) {
      units.push({ path: current === undefined && !startsUnit(fn.entry) ? "guest/u_head.c" : unitName(fn.entry), functions: [fn] });
    } else {
      current.functions.push(fn);
    }
  }
  return units;
}
