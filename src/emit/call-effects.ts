// emit: which guest registers a direct call can read or change through the CPU state, from the callee's own C.
import type { IrBlock, IrFunction, IrOp } from "../config/module-json.js";
import { coldBlocks } from "./cold-loads.js";
import { flagsName, guestRegisters, opWrites, runsOtherCode, usedRegisters } from "./register-sync.js";
import { readsCpuVectors, vectorNames } from "./vector-locals.js";
import { callArguments } from "./call-abi.js";

/** x0..x30, sp and v0..v31: everything a call may touch when nothing narrower is proven. */
export const allRegisters: ReadonlySet<string> = new Set([...guestRegisters, ...vectorNames]);
const allVectors: ReadonlySet<string> = new Set(vectorNames);

/**
 * What the code an op runs (a callee, the kernel, a vector helper) may do to the CPU state's registers: `touched`,
 * those it may read or write (stored before it runs), and `changed`, those it may have written when control comes
 * back (reloaded after), a subset. undefined: the op runs no other code.
 */
export interface CallEffects {
  touched(op: IrOp): ReadonlySet<string> | undefined;
  changed(op: IrOp): ReadonlySet<string> | undefined;
  /**
   * Whether `changed` of a direct call is exact for the C arguments x1 and x30 (call-abi.ts): the callee is a
   * function of the same unit, or one whose argumentChanges the unit was given.
   */
  exactArguments(op: IrOp): boolean;
}

function everythingFor(op: IrOp): ReadonlySet<string> | undefined {
  if (runsOtherCode(op)) return allRegisters;
  return readsCpuVectors(op) ? allVectors : undefined;
}

/** Without a summary: svc and every call may read and write every register; a vector helper, every V register. */
export const fullCallEffects: CallEffects = { touched: everythingFor, changed: everythingFor, exactArguments: () => false };

/** The entry address a direct call (`bl`) goes to. */
const callTarget = (op: IrOp): string | undefined => (op.op === "call" ? (op as IrOp & { addr: string }).addr : undefined);

/** What some blocks of a function reach: registers of their own, the callees of the unit they call, or everything. */
interface Reach {
  registers: string[];
  callees: string[];
  all: boolean;
}

/** The reach of `blocks` (of one function), with `registers` as their own. */
function reachOf(blocks: readonly IrBlock[], registers: readonly string[], inUnit: ReadonlySet<string>): Reach {
  const callees: string[] = [];
  let all = false;
  let vectors = false;
  const reach = (addr: string): void => {
    if (inUnit.has(addr)) callees.push(addr);
    else all = true;
  };
  for (const block of blocks) {
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
  return { registers: vectors ? [...new Set([...registers, ...vectorNames])] : [...registers], callees, all };
}

/**
 * Per function, its reach with its callees' added, to a fixed point over recursion: `everything` for what reaches
 * unknown code, `known` for callees summarised elsewhere.
 */
function closeOver(reaches: ReadonlyMap<string, Reach>, everything: ReadonlySet<string> = allRegisters, known: ReadonlyMap<string, ReadonlySet<string>> = new Map()): Map<string, Set<string>> {
  const closed = new Map<string, Set<string>>();
  for (const [entry, reach] of reaches) closed.set(entry, new Set(reach.all ? everything : reach.registers));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [entry, reach] of reaches) {
      const set = closed.get(entry) as Set<string>;
      const size = set.size;
      for (const callee of reach.callees) for (const name of closed.get(callee) ?? known.get(callee) ?? everything) set.add(name);
      if (set.size !== size) grew = true;
    }
  }
  return closed;
}

/**
 * Call effects for the functions of one unit. A lifted function reads the CPU state only at its entry (the
 * registers it uses) and after its own calls, and writes it only where it stores registers it wrote; so a
 * direct call to a function of the same unit touches the registers used by the callee and everything it calls
 * directly, to a fixed point over recursion. A function that reaches svc, an indirect call or branch, or a
 * function of another unit may touch every register. Of another unit's functions, a unit knows only which C
 * arguments they may change (`argumentChanges`, computed over the whole module): a unit's C depends on its own
 * functions and on those few bits of the functions it calls. Registers outside the set keep their C locals across
 * the call, neither stored nor reloaded.
 *
 * What a callee changes when it returns comes from its warm blocks only (cold-loads.ts: those from which a return
 * can be reached): a path through a cold block never returns (it traps, and a call on it that returns anywhere
 * else stops the run in rt_bad_return), so what `bl abort` might do is stored before the call but not reloaded.
 */
export function unitCallEffects(functions: readonly IrFunction[], otherUnits: ReadonlyMap<string, ReadonlySet<string>> = new Map()): CallEffects {
  const inUnit = new Set(functions.map((fn) => fn.entry));
  const touched = closeOver(new Map(functions.map((fn) => [fn.entry, reachOf(fn.blocks, usedRegisters(fn).filter((name) => name !== flagsName), inUnit)])));
  // A callee of another unit may change every register but the C arguments it is known to leave as they were.
  const known = new Map<string, ReadonlySet<string>>();
  for (const target of calledOutside(functions, inUnit)) {
    const changes = otherUnits.get(target);
    if (changes !== undefined) known.set(target, changedOutside(changes));
  }
  const summarised = new Set([...inUnit, ...known.keys()]);
  const changedInUnit = closeOver(new Map(functions.map((fn) => [fn.entry, warmReach(fn, summarised)])), allRegisters, known);
  const changed = new Map<string, ReadonlySet<string>>([...known, ...changedInUnit]);
  const summary = (sets: ReadonlyMap<string, ReadonlySet<string>>) => (op: IrOp) => {
    const target = callTarget(op);
    return target === undefined ? everythingFor(op) : (sets.get(target) ?? allRegisters);
  };
  const exactArguments = (op: IrOp): boolean => {
    const target = callTarget(op);
    return target !== undefined && summarised.has(target);
  };
  return { touched: summary(touched), changed: summary(changed), exactArguments };
}

/** The C arguments a callee may leave as they were (call-abi.ts; x0 always comes back as its C result). */
const keptArguments: ReadonlySet<string> = new Set(callArguments.filter((name) => name !== "x0"));
const beyondArguments: readonly string[] = [...allRegisters].filter((name) => !keptArguments.has(name));

/** The entries the functions call directly (bl, tail calls) outside `inUnit`. */
function calledOutside(functions: readonly IrFunction[], inUnit: ReadonlySet<string>): Set<string> {
  const targets = new Set<string>();
  for (const fn of functions) {
    for (const block of fn.blocks) {
      for (const op of block.ops) if (op.op === "call" && !inUnit.has(callTarget(op) as string)) targets.add(callTarget(op) as string);
      if (block.terminator.op === "tail_call" && !inUnit.has(block.terminator.addr)) targets.add(block.terminator.addr);
    }
  }
  return targets;
}

/** What a callee of another unit may change, given the C arguments it may change: one set per combination, shared. */
const outsideByArguments = new Map<string, ReadonlySet<string>>();
function changedOutside(changes: ReadonlySet<string>): ReadonlySet<string> {
  const key = [...keptArguments].filter((name) => changes.has(name)).join(",");
  let set = outsideByArguments.get(key);
  if (set === undefined) outsideByArguments.set(key, (set = new Set([...beyondArguments, ...changes])));
  return set;
}

/**
 * Per function of the module, which of the C arguments x1 and x30 it may have changed when it returns: what its
 * warm blocks write and what the functions it calls directly change, whatever their unit (both after svc or an
 * indirect call or branch), to a fixed point over the whole call graph.
 */
export function argumentChanges(functions: readonly IrFunction[]): Map<string, Set<string>> {
  const everyEntry = new Set(functions.map((fn) => fn.entry));
  const reaches = new Map(
    functions.map((fn) => {
      const reach = warmReach(fn, everyEntry);
      return [fn.entry, { ...reach, registers: reach.registers.filter((name) => keptArguments.has(name)) }];
    }),
  );
  return closeOver(reaches, keptArguments);
}

/** The reach of a function's warm blocks, with the registers they write as their own. */
function warmReach(fn: IrFunction, inUnit: ReadonlySet<string>): Reach {
  const cold = coldBlocks(fn);
  const warm = fn.blocks.filter((block) => !cold.has(block.label));
  const written = new Set(warm.flatMap((block) => block.ops.flatMap(opWrites)).filter((name) => name !== flagsName));
  return reachOf(warm, [...written], inUnit);
}
