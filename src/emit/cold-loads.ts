// emit: registers a lifted function reads only on its way to a trap are loaded there, not at its entry.
import type { IrFunction } from "../config/module-json.js";
import { cycleComponents } from "./dirty-joins.js";
import { isCallArgument } from "./call-abi.js";
import { blockPredecessors, flagsName, opWrites, successors } from "./register-sync.js";

/** The blocks from which no return, tail call or indirect branch can be reached: every path from them ends the run. */
export function coldBlocks(fn: IrFunction): Set<string> {
  const predecessors = blockPredecessors(fn);
  const leaves = new Set(["ret", "tail_call", "br_indirect"]);
  const warm = new Set(fn.blocks.filter((block) => leaves.has(block.terminator.op)).map((block) => block.label));
  for (const pending = [...warm]; pending.length > 0; ) {
    for (const from of predecessors.get(pending.pop() as string) ?? []) {
      if (warm.has(from)) continue;
      warm.add(from);
      pending.push(from);
    }
  }
  return new Set(fn.blocks.map((block) => block.label).filter((label) => !warm.has(label)));
}

/** Per block, the registers an op may have written on some path from the entry to the block's start. */
function writtenBefore(fn: IrFunction): Map<string, Set<string>> {
  const atStart = new Map(fn.blocks.map((block) => [block.label, new Set<string>()]));
  // Each block's own writes once, not at every round.
  const ownWrites = fn.blocks.map((block) => block.ops.flatMap((op) => opWrites(op).filter((name) => name !== flagsName)));
  // The sets only grow: a block whose start set has the size of its last visit would pass on the same names.
  const sizeAtVisit = fn.blocks.map(() => -1);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [index, block] of fn.blocks.entries()) {
      const start = atStart.get(block.label) as Set<string>;
      if (start.size === sizeAtVisit[index]) continue;
      sizeAtVisit[index] = start.size;
      const written = new Set(start);
      for (const name of ownWrites[index]) written.add(name);
      for (const target of successors(block.terminator)) {
        const set = atStart.get(target);
        if (set === undefined) continue;
        const size = set.size;
        for (const name of written) set.add(name);
        if (set.size !== size) changed = true;
      }
    }
  }
  return atStart;
}

/**
 * Where the abort path of a function (`if (...) abort();` after a stp of x29/x30) reads registers nothing else
 * reads, the entry need not load them: at the start of a cold block entered from a warm one, on no cycle, every
 * register live there that no op can have written on the way is loaded from the CPU state, which still holds it
 * (the register was never dirty). `liveAtStart` is the liveness without these loads; a load that a later one makes
 * dead is dropped by the C compiler. Loaded at entry, such registers cost a load per call and a host register
 * across the whole function (often a callee-saved one, pushed and popped at every call). `cyclic`: the function's
 * `cycleComponents`, when the caller has them already.
 */
export function coldEntryLoads(fn: IrFunction, liveAtStart: ReadonlyMap<string, ReadonlySet<string>>, cyclic: ReadonlyMap<string, number> = cycleComponents(fn)): Map<string, Set<string>> {
  const cold = coldBlocks(fn);
  const written = writtenBefore(fn);
  const enteredWarm = new Set(fn.blocks.filter((block) => !cold.has(block.label)).flatMap((block) => successors(block.terminator)));
  const loads = new Map<string, Set<string>>();
  for (const label of cold) {
    if (!enteredWarm.has(label) || cyclic.has(label)) continue;
    // The C arguments' CPU-state copies may be stale (call-abi.ts): they are never loaded.
    const names = [...(liveAtStart.get(label) ?? [])].filter((name) => name !== flagsName && !isCallArgument(name) && !(written.get(label)?.has(name) ?? true));
    if (names.length > 0) loads.set(label, new Set(names));
  }
  return loads;
}
