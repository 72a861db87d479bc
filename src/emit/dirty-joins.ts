// emit: where the "may be dirty" register sets of a lifted function's blocks meet, and what each branch stores.
import type { IrBlock, IrFunction } from "../config/module-json.js";
import type { CallEffects } from "./call-effects.js";
import { callArguments } from "./call-abi.js";
import { blockPredecessors, dirtyAtBlockEnd, successors } from "./register-sync.js";

/**
 * The blocks on a cycle of the control-flow graph, each with the number of its strongly connected component (a
 * loop nest is one component): Tarjan's algorithm, without recursion.
 */
export function cycleComponents(fn: IrFunction): Map<string, number> {
  const labels = new Set(fn.blocks.map((block) => block.label));
  // Successors inside the function, listed once per block (a frame is revisited once per child).
  const next = new Map(fn.blocks.map((block) => [block.label, successors(block.terminator).filter((target) => labels.has(target))]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cyclic = new Map<string, number>();
  let components = 0;
  for (const root of fn.blocks.map((block) => block.label)) {
    if (index.has(root)) continue;
    const frames: { label: string; child: number }[] = [{ label: root, child: 0 }];
    index.set(root, index.size);
    low.set(root, index.get(root) as number);
    stack.push(root);
    onStack.add(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const targets = next.get(frame.label) ?? [];
      if (frame.child < targets.length) {
        const target = targets[frame.child++];
        if (!index.has(target)) {
          index.set(target, index.size);
          low.set(target, index.get(target) as number);
          stack.push(target);
          onStack.add(target);
          frames.push({ label: target, child: 0 });
        } else if (onStack.has(target)) low.set(frame.label, Math.min(low.get(frame.label) as number, index.get(target) as number));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined) low.set(parent.label, Math.min(low.get(parent.label) as number, low.get(frame.label) as number));
      if (low.get(frame.label) !== index.get(frame.label)) continue;
      const component: string[] = [];
      for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
        onStack.delete(member);
        component.push(member);
        if (member === frame.label) break;
      }
      if (component.length > 1 || targets.includes(frame.label)) {
        for (const member of component) cyclic.set(member, components);
        components += 1;
      }
    }
  }
  return cyclic;
}

/** The label of the block at the function's entry. */
const entryLabel = (fn: IrFunction): string => `b_${fn.entry.slice(2)}`;

/** What may be dirty at the entry: the C arguments, whose CPU-state copies may be stale (call-abi.ts). */
const dirtyAtEntry: ReadonlySet<string> = new Set(callArguments);

/** The blocks a jump table (br_indirect) reaches: a table branch stores nothing on its edge. */
const jumpTableTargets = (fn: IrFunction): Set<string> =>
  new Set(fn.blocks.flatMap((block) => (block.terminator.op === "br_indirect" ? successors(block.terminator) : [])));

/**
 * The blocks whose start takes the intersection of what may be dirty at the ends of their predecessors: blocks on
 * no cycle, reached by direct branches only, other than the entry. A branch into one stores the registers dirty
 * at its end but not at the block's start (`edgeStores`), so a register written on some paths only is stored on
 * those paths and never loaded at entry just to be stored back unchanged on the others. Each such store runs at
 * most once per call (the block is on no cycle) and replaces the store the next return or call would have made.
 * Elsewhere (loop headers, jump-table targets) the sets are united (unitedPredecessors): a store on a loop's back
 * edge would run at every iteration.
 */
export function intersectionBlocks(fn: IrFunction, cyclic: ReadonlyMap<string, number> = cycleComponents(fn)): Set<string> {
  const viaTable = jumpTableTargets(fn);
  const entry = entryLabel(fn);
  return new Set(fn.blocks.map((block) => block.label).filter((label) => label !== entry && !cyclic.has(label) && !viaTable.has(label)));
}

/**
 * The predecessors whose ends a block's start unites (the others branch in with edgeStores): at a loop's header
 * only those inside its loop nest, so a register written before the loop and synced by a call inside it is stored
 * once on the way in, not at every iteration. A block a jump table reaches unites all of them.
 */
function unitedPredecessors(fn: IrFunction, cyclic: ReadonlyMap<string, number>, predecessors: ReadonlyMap<string, string[]>): Map<string, string[]> {
  const viaTable = jumpTableTargets(fn);
  const united = new Map(predecessors);
  for (const [label, from] of united) {
    const component = cyclic.get(label);
    if (component !== undefined && !viaTable.has(label)) united.set(label, from.filter((pred) => cyclic.get(pred) === component));
  }
  return united;
}

/**
 * The registers that may be dirty at the start of each block, to a fixed point from the empty sets (every merge is
 * monotone; the entry adds dirtyAtEntry): the union of the ends of its unitedPredecessors, or the intersection of
 * all its predecessors' ends at `intersectionBlocks`. `cyclic`: the function's `cycleComponents`, when the caller
 * has them already.
 */
export function dirtyAtBlockStarts(fn: IrFunction, effects: CallEffects, cyclic: ReadonlyMap<string, number> = cycleComponents(fn)): Map<string, Set<string>> {
  const byLabel = new Map(fn.blocks.map((block) => [block.label, block]));
  const meet = intersectionBlocks(fn, cyclic);
  const predecessors = blockPredecessors(fn);
  const united = unitedPredecessors(fn, cyclic, predecessors);
  const entry = entryLabel(fn);
  const atStart = new Map<string, Set<string>>(fn.blocks.map((block) => [block.label, new Set<string>()]));
  const atEnd = new Map(fn.blocks.map((block) => [block.label, dirtyAtBlockEnd(block, new Set(), effects)]));
  // Every block once, then again whenever a predecessor's end grows (atEnd starts as the end of an empty start).
  // A queue read from `next` on (shift() would copy the array at every step: quadratic in a function of many blocks).
  const pending = fn.blocks.map((block) => block.label);
  const queued = new Set(pending);
  for (let next = 0; next < pending.length; next++) {
    const label = pending[next];
    queued.delete(label);
    const block = byLabel.get(label) as IrBlock;
    const ends = ((meet.has(label) ? predecessors : united).get(label) ?? []).map((from) => atEnd.get(from) as Set<string>);
    const start = meet.has(label) ? intersection(ends) : union(label === entry ? [...ends, dirtyAtEntry] : ends);
    if (sameSet(start, atStart.get(label) as Set<string>)) continue;
    atStart.set(label, start);
    const end = dirtyAtBlockEnd(block, start, effects);
    if (sameSet(end, atEnd.get(label) as Set<string>)) continue;
    atEnd.set(label, end);
    for (const target of successors(block.terminator)) {
      if (queued.has(target) || !byLabel.has(target)) continue;
      pending.push(target);
      queued.add(target);
    }
  }
  return atStart;
}

function union(sets: readonly ReadonlySet<string>[]): Set<string> {
  const all = new Set<string>();
  for (const set of sets) for (const name of set) all.add(name);
  return all;
}

function intersection(sets: readonly ReadonlySet<string>[]): Set<string> {
  if (sets.length === 0) return new Set();
  return new Set([...sets[0]].filter((name) => sets.every((set) => set.has(name))));
}

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => a.size === b.size && [...a].every((name) => b.has(name));

/** What a branch from a block whose ops end with `dirtyAtEnd` stores before it goes to a block starting with `dirtyAtTarget`. */
export const edgeStores = (dirtyAtEnd: ReadonlySet<string>, dirtyAtTarget: ReadonlySet<string> | undefined): Set<string> =>
  new Set([...dirtyAtEnd].filter((name) => dirtyAtTarget !== undefined && !dirtyAtTarget.has(name)));
