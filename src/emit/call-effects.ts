// emit: which guest registers a direct call can read or change through the CPU state, from the callee's own C.
import type { IrFunction, IrOp } from "../config/module-json.js";
import { flagsName, usedRegisters } from "./register-sync.js";
import { readsCpuVectors, vectorNames } from "./vector-locals.js";

/** x0..x30, sp and v0..v31: everything a call may touch when nothing narrower is proven. */
export const allRegisters: ReadonlySet<string> = new Set([...Array.from({ length: 31 }, (_, i) => `x${i}`), "sp", ...vectorNames]);
const allVectors: ReadonlySet<string> = new Set(vectorNames);

/** The registers whose CPU-state copy an op may read or write while it runs (undefined: it runs no other code). */
export type CallEffects = (op: IrOp) => ReadonlySet<string> | undefined;

/** Without a summary: svc and every call may read and write every register; a vector helper, every V register. */
export const fullCallEffects: CallEffects = (op) => {
  if (op.op === "call" || op.op === "call_indirect" || op.op === "svc") return allRegisters;
  return readsCpuVectors(op) ? allVectors : undefined;
};

/** The entry address a direct call (`bl`) goes to. */
const callTarget = (op: IrOp): string | undefined => (op.op === "call" ? (op as IrOp & { addr: string }).addr : undefined);

/** A function's own reach: the registers it loads or stores (a vector helper: all V registers), the callees it reaches directly, or everything. */
function ownReach(fn: IrFunction, inUnit: ReadonlySet<string>): { registers: string[]; callees: string[]; all: boolean } {
  const callees: string[] = [];
  let all = false;
  let vectors = false;
  const reach = (addr: string): void => {
    if (inUnit.has(addr)) callees.push(addr);
    else all = true;
  };
  for (const block of fn.blocks) {
    for (const op of block.ops) {
      if (op.op === "svc" || op.op === "call_indirect") all = true;
      else if (op.op === "call") reach(callTarget(op) as string);
      else if (readsCpuVectors(op)) vectors = true;
    }
    const end = block.terminator;
    // br_indirect's fallback goes through rt_call_indirect, to any function, unless the table is proven complete.
    if (end.op === "br_indirect" && end.complete === undefined) all = true;
    else if (end.op === "tail_call") reach(end.addr);
  }
  const own = usedRegisters(fn).filter((name) => name !== flagsName);
  return { registers: vectors ? [...new Set([...own, ...vectorNames])] : own, callees, all };
}

/**
 * Call effects for the functions of one unit. A lifted function reads the CPU state only at its entry (the
 * registers it uses) and after its own calls, and writes it only where it stores registers it wrote; so a
 * direct call to a function of the same unit touches the registers used by the callee and everything it calls
 * directly, to a fixed point over recursion. A function that reaches svc, an indirect call or branch, or a
 * function of another unit may touch every register (units stay independent: a unit's C depends on its own
 * functions only). Registers outside the set keep their C locals across the call, neither stored nor reloaded.
 */
export function unitCallEffects(functions: readonly IrFunction[]): CallEffects {
  const inUnit = new Set(functions.map((fn) => fn.entry));
  const reaches = new Map(functions.map((fn) => [fn.entry, ownReach(fn, inUnit)]));
  const touched = new Map<string, Set<string>>();
  for (const [entry, reach] of reaches) touched.set(entry, new Set(reach.all ? allRegisters : reach.registers));
  for (let changed = true; changed; ) {
    changed = false;
    for (const [entry, reach] of reaches) {
      const set = touched.get(entry) as Set<string>;
      const size = set.size;
      for (const callee of reach.callees) for (const name of touched.get(callee) ?? allRegisters) set.add(name);
      if (set.size !== size) changed = true;
    }
  }
  return (op) => {
    const target = callTarget(op);
    return target === undefined ? fullCallEffects(op) : (touched.get(target) ?? allRegisters);
  };
}
