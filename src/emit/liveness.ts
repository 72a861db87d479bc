// emit: which register locals and NZCV a lifted function may still read after each op (a backward analysis), so
// the C reloads after a call only what is read again and computes NZCV only where a later instruction reads it.
import type { IrFunction, IrOp, IrTerminator } from "../config/module-json.js";
import type { CallEffects } from "./call-effects.js";
import { readsFlagLocal, type FlagSource } from "./c-flags.js";
import { flagSourceAfter } from "./c-ops.js";
import { edgeStores } from "./dirty-joins.js";
import { dirtyAfter, flagsName, helperWritesFlags, opReads, opWrites, successors, syncKind } from "./register-sync.js";

/** Per block label: the names (registers, `nzcv`) live after each of its ops, in op order. */
export interface Liveness {
  /** Live at the function's entry: the registers its entry must load from the CPU state. */
  atEntry: ReadonlySet<string>;
  /** Live at each block's start, before its own loads (`blockLoads`). */
  atBlockStart: ReadonlyMap<string, ReadonlySet<string>>;
  afterOps: ReadonlyMap<string, readonly ReadonlySet<string>[]>;
}

type Fields = Record<string, unknown> & { op: string };

/** A condition read through the `fl` local (not through the last compare's operands), as c-flags.ts writes it. */
function readsFlags(ir: IrOp | IrTerminator, source: FlagSource | undefined): boolean {
  const op = ir as Fields;
  if (op.op === "br_cond" || /^(csel|csinc|csinv|csneg|ccmp|ccmn)_i(32|64)$/.test(op.op)) return readsFlagLocal(op.cond as string, source);
  return opReads(ir).includes(flagsName);
}

const readRegisters = (ir: IrOp | IrTerminator): string[] => opReads(ir).filter((name) => name !== flagsName);

/** What one block's ops see going forward: the dirty registers and the flags' source before each op, and at its end. */
function forwardStates(ops: readonly IrOp[], dirtyAtStart: ReadonlySet<string>, effects: CallEffects) {
  const dirty: ReadonlySet<string>[] = [];
  const sources: (FlagSource | undefined)[] = [];
  let current: ReadonlySet<string> = dirtyAtStart;
  let source: FlagSource | undefined;
  for (const op of ops) {
    dirty.push(current);
    sources.push(source);
    current = dirtyAfter(op, current, effects.touched(op));
    source = flagSourceAfter(op, source);
  }
  return { dirty, sources, dirtyAtEnd: current, sourceAtEnd: source };
}

/** Live before the terminator, given what is live at the successors' starts. */
function liveBeforeTerminator(end: IrTerminator, liveOut: ReadonlySet<string>, stored: ReadonlySet<string>, source: FlagSource | undefined): Set<string> {
  const live = new Set(liveOut);
  for (const name of readRegisters(end)) live.add(name);
  if (readsFlags(end, source)) live.add(flagsName);
  // tail calls, returns and the indirect fallback store every dirty register first (a proven table's miss faults).
  const stores = end.op === "tail_call" || end.op === "ret" || (end.op === "br_indirect" && end.complete === undefined);
  if (stores) for (const name of stored) live.add(name);
  return live;
}

/**
 * Live before `op` from live after it. An op that runs other code (syncKind "full") first writes its own results
 * (x30 of a call), stores the dirty registers among those the other code may touch (reads of the locals), and
 * reloads those it may have changed afterwards (writes of the locals): emit-c.ts and c-ops.ts emit it in that order.
 */
function liveBefore(op: IrOp, after: ReadonlySet<string>, dirty: ReadonlySet<string>, source: FlagSource | undefined, effects: CallEffects): Set<string> {
  const live = new Set(after);
  const writes = opWrites(op);
  const touched = effects.touched(op);
  if (syncKind(op) === "full" && touched !== undefined) {
    for (const name of effects.changed(op) ?? touched) live.delete(name);
    for (const name of [...dirty, ...writes]) if (name !== flagsName && touched.has(name)) live.add(name);
  }
  for (const name of writes) live.delete(name);
  if (helperWritesFlags(op)) live.delete(flagsName);
  for (const name of readRegisters(op)) live.add(name);
  if (readsFlags(op, source)) live.add(flagsName);
  return live;
}

/**
 * Liveness of `fn`'s register locals and NZCV, to a fixed point over its blocks (dirty sets from register-sync.ts).
 * `fallbackStores`: per block, what its br_indirect's fallback stores when that is more than the block's own
 * dirty registers (a shared dispatch block, shared-dispatch.ts). `blockLoads`: per block, the registers loaded from
 * the CPU state at its start (cold-loads.ts), which are not live before it.
 */
export function functionLiveness(
  fn: IrFunction,
  effects: CallEffects,
  dirtyAtStart: ReadonlyMap<string, ReadonlySet<string>>,
  fallbackStores: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
  blockLoads: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
): Liveness {
  const forward = new Map(fn.blocks.map((block) => [block.label, forwardStates(block.ops, dirtyAtStart.get(block.label) ?? new Set(), effects)]));
  const liveIn = new Map<string, Set<string>>(fn.blocks.map((block) => [block.label, new Set<string>()]));
  const afterOps = new Map<string, Set<string>[]>();
  for (let changed = true; changed; ) {
    changed = false;
    for (let index = fn.blocks.length - 1; index >= 0; index--) {
      const block = fn.blocks[index];
      const states = forward.get(block.label);
      if (block === undefined || states === undefined) continue;
      const liveOut = new Set<string>();
      // A branch into an intersection block stores (reads) what is dirty here but not there (dirty-joins.ts).
      for (const next of successors(block.terminator)) {
        for (const name of liveIn.get(next) ?? []) liveOut.add(name);
        for (const name of edgeStores(states.dirtyAtEnd, dirtyAtStart.get(next))) liveOut.add(name);
      }
      let live = liveBeforeTerminator(block.terminator, liveOut, fallbackStores.get(block.label) ?? states.dirtyAtEnd, states.sourceAtEnd);
      const after: Set<string>[] = new Array<Set<string>>(block.ops.length);
      for (let i = block.ops.length - 1; i >= 0; i--) {
        const op = block.ops[i];
        after[i] = live;
        live = liveBefore(op, live, states.dirty[i], states.sources[i], effects);
      }
      afterOps.set(block.label, after);
      for (const name of blockLoads.get(block.label) ?? []) live.delete(name);
      const previous = liveIn.get(block.label) as Set<string>;
      if (live.size !== previous.size || [...live].some((name) => !previous.has(name))) {
        liveIn.set(block.label, live);
        changed = true;
      }
    }
  }
  return { atEntry: liveIn.get(`b_${fn.entry.slice(2)}`) ?? new Set(), atBlockStart: liveIn, afterOps };
}
