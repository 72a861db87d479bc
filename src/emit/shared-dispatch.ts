// emit: one dispatch block per jump table that several indirect branches of a function share. An interpreter's
// computed gotos (QuickJS's JS_CallInternal: ~300 `br` over one 234-entry table) emitted as one C switch per
// branch took the C compiler minutes; each branch now hands its target to a single switch.
import type { IrBlock, IrFunction, IrTerminator } from "../config/module-json.js";
import type { CallEffects } from "./call-effects.js";
import { readValue } from "./c-names.js";
import { dirtyAtBlockEnd } from "./register-sync.js";

type IndirectBranch = Extract<IrTerminator, { op: "br_indirect" }>;
type JumpTable = IndirectBranch["table"];

/** The function-local C temporaries a branch leaves its target address and its own pc in for the shared block. */
const targetLocal = "dispatch_target";
const pcLocal = "dispatch_pc";

/** One shared dispatch block: the switch over a table, and the function-entry dispatch for an address not in it. */
export interface SharedDispatch {
  /** Its C label, `dispatch_<n>` in the order of the tables' first use in the function. */
  label: string;
  /** The table of its first branch (every branch of the block has the same set of entries). */
  table: JumpTable;
  /** What the fallback stores: the registers that may be dirty at the end of any of its branches' blocks (none when complete). */
  stores: ReadonlySet<string>;
  /** Whether every branch's table is proven complete, so a miss is a fault (tableMiss). */
  complete: IndirectBranch["complete"];
}

/** The shared dispatch blocks of a function, and which block's br_indirect goes through which. */
export interface DispatchPlan {
  shared: readonly SharedDispatch[];
  byBlock: ReadonlyMap<string, SharedDispatch>;
}

/** Tables with the same entries (in any order) and the same miss share a switch: the switch is the same C. */
const tableKey = (branch: IndirectBranch): string =>
  `${branch.complete === undefined ? "" : "complete "}${[...new Set(branch.table.map((entry) => `${entry.addr}:${entry.target}`))].sort().join(",")}`;

/**
 * The tables that two or more br_indirect of `fn` use; a table used once (or empty: the function-entry dispatch
 * alone) stays in its branch (c-ops.ts). Deterministic: blocks in IR order, shared blocks by first use.
 */
export function planSharedDispatch(fn: IrFunction, dirtyAtStart: ReadonlyMap<string, ReadonlySet<string>>, effects: CallEffects): DispatchPlan {
  const users = new Map<string, IrBlock[]>();
  for (const block of fn.blocks) {
    const end = block.terminator;
    if (end.op !== "br_indirect" || end.table.length === 0) continue;
    const key = tableKey(end);
    users.set(key, [...(users.get(key) ?? []), block]);
  }
  const shared: SharedDispatch[] = [];
  const byBlock = new Map<string, SharedDispatch>();
  for (const blocks of users.values()) {
    if (blocks.length < 2) continue;
    const first = blocks[0].terminator as IndirectBranch;
    const stores = new Set<string>();
    if (first.complete === undefined) {
      for (const block of blocks) for (const name of dirtyAtBlockEnd(block, dirtyAtStart.get(block.label) ?? new Set(), effects)) stores.add(name);
    }
    const entry: SharedDispatch = { label: `dispatch_${shared.length}`, table: first.table, stores, complete: first.complete };
    shared.push(entry);
    for (const block of blocks) byBlock.set(block.label, entry);
  }
  return { shared, byBlock };
}

/** What the fallback of each branch stores (liveness.ts keeps these registers' locals current up to the branch). */
export function fallbackStores(plan: DispatchPlan): ReadonlyMap<string, ReadonlySet<string>> {
  return new Map([...plan.byBlock].map(([label, entry]) => [label, entry.stores]));
}

/**
 * The switch over `table` on the C expression `target`, then `fallback`. Cases are word indexes from the lowest
 * target, so the C compiler can build a dense table.
 */
export function tableDispatch(target: string, table: JumpTable, fallback: readonly string[]): string[] {
  const first = table[0];
  if (first === undefined) return [...fallback];
  const low = BigInt(first.addr);
  const offset = `(${target} - UINT64_C(${first.addr}))`;
  const cases = table.map((entry) => `  case ${(BigInt(entry.addr) - low) / 4n}: goto ${entry.target};`);
  return [`if ((${offset} & 3) == 0) switch (${offset} >> 2) {`, ...cases, "  default: break;", "}", ...fallback];
}

/**
 * What a branch does with an address not in its table: fault when the lifter proved the table complete (nothing
 * to store: the run ends), else store the changed registers and dispatch by function entry.
 */
export function tableMiss(branch: Pick<IndirectBranch, "complete">, target: string, pc: string, stores: () => string[]): string[] {
  if (branch.complete !== undefined) return [`rt_table_miss(${target}, ${pc});`];
  // The function the table dispatch ran returned through the CPU state (rt_invoke): so does this one.
  return [...stores(), `rt_call_indirect(cpu, ${target}, ${pc});`, "return (rt_return){cpu->pc, cpu->x[0]};"];
}

/** A branch's statements: its target and pc into the temporaries, then to the shared block (nothing stored yet). */
export function sharedDispatchJump(entry: SharedDispatch, src: string, pc: string): string[] {
  return [`${targetLocal} = ${readValue(src)};`, `${pcLocal} = UINT64_C(${pc});`, `goto ${entry.label};`];
}

/**
 * A shared block after the function's blocks: the switch, else `stores` (statements storing entry.stores, whose
 * locals are current at every branch: clean ones hold the CPU state's value) and the function-entry dispatch.
 */
export function sharedDispatchBlock(entry: SharedDispatch, stores: readonly string[]): string[] {
  const fallback = tableMiss(entry, targetLocal, pcLocal, () => [...stores]);
  return [`${entry.label}:;`, ...tableDispatch(targetLocal, entry.table, fallback).map((line) => `  ${line}`)];
}

/** The declaration of the temporaries, when the function has shared blocks. */
export const sharedDispatchLocals = (plan: DispatchPlan): string[] => (plan.shared.length > 0 ? [`  uint64_t ${targetLocal} = 0, ${pcLocal} = 0;`] : []);
