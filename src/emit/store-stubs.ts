// emit: branches of a lifted function that store registers on their way to the same block (dirty-joins.ts) share
// the stores. The register stores at block ends are the costliest C per lifted instruction for the compiler
// (docs/benchmarks.md, session 12); one stub per store set, chained to the stub of its largest subset, writes each
// store once per target instead of once per branch. Returns keep their own stores: a shared epilogue cost the
// demo's hottest function 19% more instructions run (GCC no longer lays a return out on each path).
import type { IrFunction } from "../config/module-json.js";
import { edgeStores } from "./dirty-joins.js";
import { successors } from "./register-sync.js";

/** One branch's stores: the registers that must reach the CPU state on the way to the block `exit`. */
export interface StoreRequest {
  exit: string;
  registers: ReadonlySet<string>;
}

/** A shared block: stores `registers` minus its parent's, then goes to the parent stub or to the block `exit`. */
export interface StoreStub {
  label: string;
  exit: string;
  registers: ReadonlySet<string>;
  parent: StoreStub | undefined;
}

/** The stubs of a function, and which (exit, registers) pair goes through which. */
export interface StoreStubPlan {
  stubs: readonly StoreStub[];
  /** The stub label for a branch to `exit` storing `registers`; undefined: the branch stores inline. */
  stubFor(exit: string, registers: ReadonlySet<string>): string | undefined;
}

const isSubset = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => a.size < b.size && [...a].every((name) => b.has(name));

/**
 * The stubs for `requests` (the function's branches in IR order; `order`: the registers in their C order, for
 * keys). A store set gets a stub when two branches to the same exit store it, or when it contains or is
 * contained in another set stored on the way to that exit; a set used once and unrelated stays inline (a stub
 * would only add a jump). Deterministic: stubs numbered by first use.
 */
export function planStoreStubs(requests: readonly StoreRequest[], order: readonly string[]): StoreStubPlan {
  const key = (exit: string, registers: ReadonlySet<string>): string => `${exit}:${order.filter((name) => registers.has(name)).join(",")}`;
  const byExit = new Map<string, { registers: ReadonlySet<string>; key: string; uses: number }[]>();
  for (const { exit, registers } of requests) {
    if (registers.size === 0) continue;
    const sets = byExit.get(exit) ?? [];
    byExit.set(exit, sets);
    const id = key(exit, registers);
    const known = sets.find((set) => set.key === id);
    if (known !== undefined) known.uses++;
    else sets.push({ registers, key: id, uses: 1 });
  }
  const stubs: StoreStub[] = [];
  const byKey = new Map<string, StoreStub>();
  for (const [exit, sets] of byExit) {
    const related = (set: (typeof sets)[number]): boolean => sets.some((other) => isSubset(other.registers, set.registers) || isSubset(set.registers, other.registers));
    const shared = sets.filter((set) => set.uses > 1 || related(set));
    // Smallest first, so that a parent exists before its children: the largest strict subset, the first such on ties.
    const bySize = [...shared].sort((a, b) => a.registers.size - b.registers.size);
    for (const set of bySize) {
      let parent: StoreStub | undefined;
      for (const candidate of bySize) {
        const stub = byKey.get(candidate.key);
        if (stub !== undefined && isSubset(candidate.registers, set.registers) && (parent === undefined || candidate.registers.size > parent.registers.size)) parent = stub;
      }
      const stub: StoreStub = { label: "", exit, registers: set.registers, parent };
      byKey.set(set.key, stub);
    }
    // Labels and the stubs' order by first use (the sort above is by size).
    for (const set of shared) {
      const stub = byKey.get(set.key) as StoreStub;
      stub.label = `stores_${stubs.length}`;
      stubs.push(stub);
    }
  }
  return { stubs, stubFor: (exit, registers) => byKey.get(key(exit, registers))?.label };
}

/** A stub's C: its label, the stores its parent does not make (`store`: statements storing a set, in register order), the goto. */
export function storeStubBlock(stub: StoreStub, store: (names: ReadonlySet<string>) => string[]): string[] {
  const own = new Set([...stub.registers].filter((name) => !(stub.parent?.registers.has(name) ?? false)));
  const statements = [...store(own), `goto ${stub.parent?.label ?? stub.exit};`];
  return [`${stub.label}:;`, ...statements.map((statement) => `  ${statement}`)];
}

/** What `fn`'s direct branches store, from the registers that may be dirty at each block's end and start. */
export function storeRequests(fn: IrFunction, dirtyAtEnd: (label: string) => ReadonlySet<string>, dirtyAtStart: ReadonlyMap<string, ReadonlySet<string>>): StoreRequest[] {
  const requests: StoreRequest[] = [];
  for (const block of fn.blocks) {
    const end = block.terminator;
    const dirty = dirtyAtEnd(block.label);
    if (end.op !== "br_indirect") for (const target of successors(end)) requests.push({ exit: target, registers: edgeStores(dirty, dirtyAtStart.get(target)) });
  }
  return requests;
}
