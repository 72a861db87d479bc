// emit: which register locals and NZCV a lifted function may still read after each op (a backward analysis), so
// the C reloads after a call only what is read again and computes NZCV only where a later instruction reads it.
import type { IrFunction, IrOp, IrTerminator } from "../config/module-json.js";
import type { CallEffects } from "./call-effects.js";
import { readsFlagLocal, type FlagSource } from "./c-flags.js";
import { flagSourceAfter } from "./c-ops.js";
import { edgeStores } from "./dirty-joins.js";
import { directCall, passedArguments, reloadedAfterCall, storedAtReturn, storedBeforeCall, storedBeforeTailCall } from "./call-abi.js";
import { conditionalOps, dirtyAfter, flagsName, helperWritesFlags, opReads, opWrites, successors, syncKind } from "./register-sync.js";

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
function readsFlags(ir: IrOp | IrTerminator, reads: readonly string[], source: FlagSource | undefined): boolean {
  const op = ir as Fields;
  if (op.op === "br_cond" || conditionalOps.has(op.op)) return readsFlagLocal(op.cond as string, source);
  return reads.includes(flagsName);
}

/** What an op or terminator reads: its registers, and whether it reads NZCV (given the flags' source before it). */
interface Uses {
  registers: string[];
  flags: boolean;
}

function uses(ir: IrOp | IrTerminator, source: FlagSource | undefined): Uses {
  const reads = opReads(ir);
  return { registers: reads.filter((name) => name !== flagsName), flags: readsFlags(ir, reads, source) };
}

/**
 * What one block's ops see going forward (the dirty registers before each op, and at its end) and what each op and
 * the terminator read and write: computed once per block, not at every round of the fixed point.
 */
function forwardStates(ops: readonly IrOp[], terminator: IrTerminator, dirtyAtStart: ReadonlySet<string>, effects: CallEffects) {
  const dirty: ReadonlySet<string>[] = [];
  const opUses: Uses[] = [];
  const writes: string[][] = [];
  let current: ReadonlySet<string> = dirtyAtStart;
  let source: FlagSource | undefined;
  for (const op of ops) {
    dirty.push(current);
    opUses.push(uses(op, source));
    writes.push(opWrites(op));
    current = dirtyAfter(op, current, effects);
    source = flagSourceAfter(op, source);
  }
  return { dirty, opUses, writes, dirtyAtEnd: current, terminatorUses: uses(terminator, source) };
}

/**
 * Live before the terminator, given what is live at the successors' starts. `stored`: what its fallback stores of
 * the dirty registers, for an indirect branch's.
 */
function liveBeforeTerminator(fn: IrFunction, end: IrTerminator, endUses: Uses, liveOut: ReadonlySet<string>, dirty: ReadonlySet<string>, stored: ReadonlySet<string>, effects: CallEffects): Set<string> {
  const live = new Set(liveOut);
  for (const name of endUses.registers) live.add(name);
  if (endUses.flags) live.add(flagsName);
  // Returns and tail calls store some dirty registers and pass the C arguments (call-abi.ts); the indirect
  // fallback stores every dirty register first (a proven table's miss faults).
  if (end.op === "ret") for (const name of ["x0", ...stores(dirty, storedAtReturn(fn, effects))]) live.add(name);
  if (end.op === "tail_call") {
    for (const name of passedArguments(directCall(end.addr), effects)) live.add(name);
    for (const name of stores(dirty, storedBeforeTailCall(fn, end.addr, effects))) live.add(name);
  }
  if (end.op === "br_indirect" && end.complete === undefined) for (const name of stored) live.add(name);
  return live;
}

const stores = (dirty: ReadonlySet<string>, only: ReadonlySet<string>): string[] => [...dirty].filter((name) => only.has(name));

/**
 * Live before `op` from live after it. An op that runs other code (syncKind "full") first writes its own results
 * (x30 of a call), stores the dirty registers among those the other code may touch (reads of the locals), and
 * reloads those it may have changed afterwards (writes of the locals): emit-c.ts and c-ops.ts emit it in that order.
 * A direct call stores only what its callee does not get as C arguments, reads those it passes, and writes x0
 * (call-abi.ts).
 */
function liveBefore(op: IrOp, opUses: Uses, writes: readonly string[], after: ReadonlySet<string>, dirty: ReadonlySet<string>, effects: CallEffects): ReadonlySet<string> {
  // Copied on the first change only: an op that reads and writes nothing new shares its successor's set.
  let live: Set<string> | undefined;
  const add = (name: string): void => {
    if (!(live ?? after).has(name)) (live ??= new Set(after)).add(name);
  };
  const remove = (name: string): void => {
    if ((live ?? after).has(name)) (live ??= new Set(after)).delete(name);
  };
  const touched = effects.touched(op);
  if (syncKind(op) === "full" && touched !== undefined) {
    const direct = op.op === "call";
    const stored = direct ? storedBeforeCall(op, effects) : touched;
    for (const name of direct ? reloadedAfterCall(op, effects) : (effects.changed(op) ?? touched)) remove(name);
    if (direct) remove("x0");
    for (const names of [dirty, writes]) for (const name of names) if (name !== flagsName && stored.has(name)) add(name);
    if (direct) for (const name of passedArguments(op, effects)) add(name);
  }
  for (const name of writes) remove(name);
  if (helperWritesFlags(op)) remove(flagsName);
  for (const name of opUses.registers) add(name);
  if (opUses.flags) add(flagsName);
  return live ?? after;
}

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => a.size === b.size && [...a].every((name) => b.has(name));

/** Per block label, its forwardStates: the same for every liveness run of a function (emit-c.ts runs two). */
export type BlockFacts = ReadonlyMap<string, ReturnType<typeof forwardStates>>;

export function blockFacts(fn: IrFunction, effects: CallEffects, dirtyAtStart: ReadonlyMap<string, ReadonlySet<string>>): BlockFacts {
  return new Map(fn.blocks.map((block) => [block.label, forwardStates(block.ops, block.terminator, dirtyAtStart.get(block.label) ?? new Set(), effects)]));
}

/**
 * Liveness of `fn`'s register locals and NZCV, to a fixed point over its blocks (dirty sets from register-sync.ts).
 * `fallbackStores`: per block, what its br_indirect's fallback stores when that is more than the block's own
 * dirty registers (a shared dispatch block, shared-dispatch.ts). `blockLoads`: per block, the registers loaded from
 * the CPU state at its start (cold-loads.ts), which are not live before it. `forward`: the function's blockFacts,
 * when the caller has them already.
 */
export function functionLiveness(
  fn: IrFunction,
  effects: CallEffects,
  dirtyAtStart: ReadonlyMap<string, ReadonlySet<string>>,
  fallbackStores: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
  blockLoads: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
  forward: BlockFacts = blockFacts(fn, effects, dirtyAtStart),
): Liveness {
  const liveIn = new Map<string, ReadonlySet<string>>(fn.blocks.map((block) => [block.label, new Set<string>()]));
  const afterOps = new Map<string, ReadonlySet<string>[]>();
  // A block whose live-out set is the one of its last visit would give the same sets again: it is skipped.
  const lastLiveOut = new Map<string, Set<string>>();
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
      const last = lastLiveOut.get(block.label);
      if (last !== undefined && sameSet(last, liveOut)) continue;
      lastLiveOut.set(block.label, liveOut);
      const stored = fallbackStores.get(block.label) ?? states.dirtyAtEnd;
      let live: ReadonlySet<string> = liveBeforeTerminator(fn, block.terminator, states.terminatorUses, liveOut, states.dirtyAtEnd, stored, effects);
      const after: ReadonlySet<string>[] = new Array<ReadonlySet<string>>(block.ops.length);
      for (let i = block.ops.length - 1; i >= 0; i--) {
        const op = block.ops[i];
        after[i] = live;
        live = liveBefore(op, states.opUses[i], states.writes[i], live, states.dirty[i], effects);
      }
      afterOps.set(block.label, after);
      const loads = blockLoads.get(block.label);
      // A copy: `live` may be the set after an op too.
      const atStart = loads === undefined ? live : new Set([...live].filter((name) => !loads.has(name)));
      const previous = liveIn.get(block.label) as ReadonlySet<string>;
      if (!sameSet(atStart, previous)) {
        liveIn.set(block.label, atStart);
        changed = true;
      }
    }
  }
  return { atEntry: liveIn.get(`b_${fn.entry.slice(2)}`) ?? new Set(), atBlockStart: liveIn, afterOps };
}
