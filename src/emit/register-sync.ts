// emit: where a lifted function's C locals (guest registers and NZCV) must agree with the shared CPU state.
import type { IrBlock, IrFunction, IrOp, IrTerminator } from "../config/module-json.js";
import type { CallEffects } from "./call-effects.js";
import { cleanAfterCall } from "./call-abi.js";
import { readsCpuVectors, vectorNames, vectorReads, vectorWrites } from "./vector-locals.js";

/** The pseudo-register of the condition flags in the sets below. */
export const flagsName = "nzcv";

/** x0..x30 and sp, in the order of their C locals: the registers a function keeps in C locals (xzr is a constant, t0..t7 are locals already). */
export const guestRegisters: readonly string[] = [...Array.from({ length: 31 }, (_, i) => `x${i}`), "sp"];
const guestRegisterSet: ReadonlySet<string> = new Set(guestRegisters);
/** A set lookup, not a pattern test: it runs for every operand of every op, several times per function. */
export const isGuestRegister = (value: unknown): value is string => typeof value === "string" && guestRegisterSet.has(value);

/** Ops that run other code (a lifted function, the kernel): the CPU state must be current before, reloaded after, for the registers that code may touch (call-effects.ts). */
const fullSyncOps = new Set(["call", "call_indirect", "svc"]);
/** Whether `op` runs other code (fullSyncOps); a call's summary may narrow what it touches (call-effects.ts). */
export const runsOtherCode = (op: IrOp): boolean => fullSyncOps.has(op.op);
/**
 * Helper ops that read or write the `fl` local (fcmp's helper returns NZCV; fccmp and fcsel are conditions on it:
 * vector-locals.ts). No helper touches the general registers or NZCV in the CPU state, and only the vector ones
 * (readsCpuVectors) the CPU state's V registers.
 */
const helperFlagReads = new Set(["fp_ccmp", "fp_csel"]);
const helperFlagWrites = new Set(["fp_compare", "fp_ccmp"]);

/** The 32- and 64-bit forms of integer ops, e.g. adds_i32 and adds_i64. */
const integerForms = (...names: string[]): ReadonlySet<string> => new Set(names.flatMap((name) => [`${name}_i32`, `${name}_i64`]));
const flagWriters = integerForms("adds", "subs", "ands", "adcs", "sbcs", "cmp", "cmn", "test", "ccmp", "ccmn");
const flagReaders = integerForms("adc", "sbc", "adcs", "sbcs", "csel", "csinc", "csinv", "csneg", "ccmp", "ccmn");
/** Ops whose condition field is read through the `fl` local or the last compare (c-flags.ts). */
export const conditionalOps = integerForms("csel", "csinc", "csinv", "csneg", "ccmp", "ccmn");
const bitfieldMoves = integerForms("bfm");

type Fields = Record<string, unknown> & { op: string };
/** Appends the guest registers `value` names (an operand, or an array of them) to `names`. */
function addRegisters(names: string[], value: unknown): void {
  if (!Array.isArray(value)) {
    if (isGuestRegister(value)) names.push(value);
    return;
  }
  for (const item of value) if (isGuestRegister(item)) names.push(item);
}

/**
 * "full" for the ops that run other code, and the helpers that see the CPU state's V registers: changed registers
 * that code may touch (call-effects.ts) are stored before, reloaded after.
 */
export function syncKind(op: IrOp): "full" | undefined {
  return runsOtherCode(op) || readsCpuVectors(op) ? "full" : undefined;
}

/** Ops after which a condition cannot compare the last compare's operands: calls and svc (the flags are lost). */
export const endsFlagSource = runsOtherCode;

export const helperReadsFlags = (op: IrOp): boolean => op.op === "helper" && helperFlagReads.has((op as Fields).fn as string);
export const helperWritesFlags = (op: IrOp): boolean => op.op === "helper" && helperFlagWrites.has((op as Fields).fn as string);

/** Registers (and `nzcv`) an op writes in the function's locals. */
export function opWrites(ir: IrOp): string[] {
  const op = ir as Fields;
  const written: string[] = [];
  addRegisters(written, op.dst);
  addRegisters(written, op.status);
  written.push(...vectorWrites(ir));
  if (op.op === "call" || op.op === "call_indirect") written.push("x30");
  if (flagWriters.has(op.op) || (op.op === "sysreg_write" && op.reg === flagsName)) written.push(flagsName);
  return written;
}

/** Registers (and `nzcv`) an op or terminator reads; bfm also keeps bits of its destination. */
export function opReads(ir: IrOp | IrTerminator): string[] {
  const op = ir as Fields;
  const read: string[] = [];
  // for...in visits the keys in Object.entries' order, without an array of pairs per op.
  for (const key in op) if (key !== "dst" && key !== "status") addRegisters(read, op[key]);
  read.push(...vectorReads(ir));
  if (bitfieldMoves.has(op.op)) addRegisters(read, op.dst);
  const flags = flagReaders.has(op.op) || op.op === "br_cond" || (op.op === "sysreg_read" && op.reg === flagsName) || helperReadsFlags(ir as IrOp);
  if (flags) read.push(flagsName);
  return read;
}

const usedByFunction = new WeakMap<IrFunction, readonly string[]>();

/** Every register and `nzcv` the function touches, in a fixed order (x0..x30, sp, v0..v31, nzcv); computed once per function (call-effects.ts and emit-c.ts both ask). */
export function usedRegisters(fn: IrFunction): readonly string[] {
  const known = usedByFunction.get(fn);
  if (known !== undefined) return known;
  const used = new Set<string>();
  for (const block of fn.blocks) {
    for (const op of block.ops) for (const name of [...opReads(op), ...opWrites(op)]) used.add(name);
    for (const name of opReads(block.terminator)) used.add(name);
  }
  if (fn.blocks.some((block) => block.ops.some(helperWritesFlags))) used.add(flagsName);
  const order = [...guestRegisters, ...vectorNames, flagsName].filter((name) => used.has(name));
  usedByFunction.set(fn, order);
  return order;
}

/**
 * The dirty set after `op`, given the set before: register locals written since the CPU state was last made
 * current. An op that runs other code stores the dirty registers that code may touch (call-effects.ts) and
 * reloads them, so they are clean after it; a direct call passes its arguments as C values instead (call-abi.ts:
 * cleanAfterCall) and gets x0 back dirty. NZCV is never stored for other functions (emit-c.ts).
 */
export function dirtyAfter(op: IrOp, before: ReadonlySet<string>, effects: CallEffects): ReadonlySet<string> {
  // Copied on the first change only: most ops leave the set as it is, and the sets before each op are kept.
  let after: Set<string> | undefined;
  const add = (name: string): void => {
    if (!(after ?? before).has(name)) (after ??= new Set(before)).add(name);
  };
  for (const name of opWrites(op)) if (name !== flagsName) add(name);
  const clean = cleanedBy(op, effects);
  if (clean !== undefined) for (const name of clean) if ((after ?? before).has(name)) (after ??= new Set(before)).delete(name);
  if (op.op === "call") add("x0");
  return after ?? before;
}

/** The registers whose locals agree with the CPU state after `op` runs other code (undefined: it runs none). */
const cleanedBy = (op: IrOp, effects: CallEffects): ReadonlySet<string> | undefined => (op.op === "call" ? cleanAfterCall(op, effects) : effects.touched(op));

/** The blocks a terminator may go to inside the function. */
export function successors(terminator: IrTerminator): string[] {
  switch (terminator.op) {
    case "br":
      return [terminator.target];
    case "br_cond":
    case "br_test":
      return [terminator.then, terminator.else];
    case "br_indirect":
      return terminator.table.map((entry) => entry.target);
    default:
      return [];
  }
}

/** Per block label, the blocks that branch to it (each once), in block order. */
export function blockPredecessors(fn: IrFunction): Map<string, string[]> {
  const predecessors = new Map<string, string[]>(fn.blocks.map((block) => [block.label, []]));
  for (const block of fn.blocks) for (const target of new Set(successors(block.terminator))) predecessors.get(target)?.push(block.label);
  return predecessors;
}

/** The registers that may be dirty at the end of `block`'s ops, given those at its start. */
export function dirtyAtBlockEnd(block: IrBlock, atStart: ReadonlySet<string>, effects: CallEffects): Set<string> {
  // dirtyAfter op by op, in one set: the sets between the ops are not needed here.
  const dirty = new Set(atStart);
  for (const op of block.ops) {
    for (const name of opWrites(op)) if (name !== flagsName) dirty.add(name);
    for (const name of cleanedBy(op, effects) ?? []) dirty.delete(name);
    if (op.op === "call") dirty.add("x0");
  }
  return dirty;
}
