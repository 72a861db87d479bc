// emit: compares whose operands a following condition can read in place. A compare's operands are copied into
// fl_a/fl_b (c-ops.ts) only when an op of its block overwrites one of them before the last condition on it could
// read them: otherwise the conditions and the flags read the registers themselves, two statements fewer per compare.
import type { IrOp } from "../config/module-json.js";
import { flagSourceAfter } from "./c-ops.js";
import { opWrites } from "./register-sync.js";

type Fields = Record<string, unknown> & { op: string };

/** Every name an op writes: guest registers, NZCV and V registers (opWrites), and the IR's temporaries. */
function writtenNames(op: IrOp): Set<string> {
  const names = new Set(opWrites(op));
  for (const key of ["dst", "status"]) {
    const value = (op as Fields)[key];
    for (const name of Array.isArray(value) ? value : [value]) if (typeof name === "string") names.add(name);
  }
  return names;
}

/**
 * Per op of a block, whether it is a compare (cmp, subs, ...) whose register operands neither it nor any later op
 * writes while its flags are the block's flag source (up to and including the op that ends them: a new compare,
 * another write of NZCV, a call).
 */
export function flagOperandsKept(ops: readonly IrOp[]): boolean[] {
  return ops.map((op, index) => {
    const setter = flagSourceAfter(op, undefined);
    if (setter === undefined) return false;
    const operands = [(op as Fields).lhs, (op as Fields).rhs].filter((value): value is string => typeof value === "string");
    const overwrites = (later: IrOp): boolean => {
      const written = writtenNames(later);
      return operands.some((name) => written.has(name));
    };
    if (overwrites(op)) return false;
    for (let next = index + 1; next < ops.length; next++) {
      const later = ops[next];
      if (overwrites(later)) return false;
      if (flagSourceAfter(later, setter) !== setter) return true;
    }
    return true;
  });
}
