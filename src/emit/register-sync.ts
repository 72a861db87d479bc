// emit: where a lifted function's C locals (guest registers and NZCV) must agree with the shared CPU state.
import type { IrBlock, IrFunction, IrOp, IrTerminator } from "../config/module-json.js";
import type { CallEffects } from "./call-effects.js";
import { readsCpuVectors, vectorNames, vectorReads, vectorWrites } from "./vector-locals.js";

/** The pseudo-register of the condition flags in the sets below. */
export const flagsName = "nzcv";

const registerPattern = /^(x([0-9]|[12][0-9]|30)|sp)$/;
/** x0..x30 and sp: the registers a function keeps in C locals (xzr is a constant, t0..t7 are locals already). */
export const isGuestRegister = (value: unknown): value is string => typeof value === "string" && registerPattern.test(value);

/** Ops that run other code (a lifted function, the kernel): the CPU state must be current before, reloaded after, for the registers that code may touch (call-effects.ts). */
const fullSyncOps = new Set(["call", "call_indirect", "svc"]);
/**
 * Helper ops that read or write the `fl` local (fcmp's helper returns NZCV; fccmp and fcsel are conditions on it:
 * vector-locals.ts). No helper touches the general registers or NZCV in the CPU state, and only the vector ones
 * (readsCpuVectors) the CPU state's V registers.
 */
const helperFlagReads = new Set(["fp_ccmp", "fp_csel"]);
const helperFlagWrites = new Set(["fp_compare", "fp_ccmp"]);

const flagWriterPattern = /^(adds|subs|ands|adcs|sbcs|cmp|cmn|test|ccmp|ccmn)_i(32|64)$/;
const flagReaderPattern = /^(adc|sbc|adcs|sbcs|csel|csinc|csinv|csneg|ccmp|ccmn)_i(32|64)$/;

type Fields = Record<string, unknown> & { op: string };
const registersIn = (value: unknown): string[] => (Array.isArray(value) ? value.filter(isGuestRegister) : isGuestRegister(value) ? [value] : []);

/**
 * "full" for the ops that run other code, and the helpers that see the CPU state's V registers: changed registers
 * that code may touch (call-effects.ts) are stored before, reloaded after.
 */
export function syncKind(op: IrOp): "full" | undefined {
  return fullSyncOps.has(op.op) || readsCpuVectors(op) ? "full" : undefined;
}

/** Ops after which a condition cannot compare the last compare's operands: calls and svc (the flags are lost). */
export const endsFlagSource = (op: IrOp): boolean => fullSyncOps.has(op.op);

export const helperReadsFlags = (op: IrOp): boolean => op.op === "helper" && helperFlagReads.has((op as Fields).fn as string);
export const helperWritesFlags = (op: IrOp): boolean => op.op === "helper" && helperFlagWrites.has((op as Fields).fn as string);

/** Registers (and `nzcv`) an op writes in the function's locals. */
export function opWrites(ir: IrOp): string[] {
  const op = ir as Fields;
  const written = [...registersIn(op.dst), ...registersIn(op.status), ...vectorWrites(ir)];
  if (op.op === "call" || op.op === "call_indirect") written.push("x30");
  if (flagWriterPattern.test(op.op) || (op.op === "sysreg_write" && op.reg === flagsName)) written.push(flagsName);
  return written;
}

/** Registers (and `nzcv`) an op or terminator reads; bfm also keeps bits of its destination. */
export function opReads(ir: IrOp | IrTerminator): string[] {
  const op = ir as Fields;
  const read = Object.entries(op).flatMap(([key, value]) => (key === "dst" || key === "status" ? [] : registersIn(value)));
  read.push(...vectorReads(ir));
  if (/^bfm_i(32|64)$/.test(op.op)) read.push(...registersIn(op.dst));
  const flags = flagReaderPattern.test(op.op) || op.op === "br_cond" || (op.op === "sysreg_read" && op.reg === flagsName) || helperReadsFlags(ir as IrOp);
  if (flags) read.push(flagsName);
  return read;
}

/** Every register and `nzcv` the function touches, in a fixed order (x0..x30, sp, v0..v31, nzcv). */
export function usedRegisters(fn: IrFunction): string[] {
  const used = new Set<string>();
  for (const block of fn.blocks) {
    for (const op of block.ops) for (const name of [...opReads(op), ...opWrites(op)]) used.add(name);
    for (const name of opReads(block.terminator)) used.add(name);
  }
  if (fn.blocks.some((block) => block.ops.some(helperWritesFlags))) used.add(flagsName);
  const order = [...Array.from({ length: 31 }, (_, i) => `x${i}`), "sp", ...vectorNames, flagsName];
  return order.filter((name) => used.has(name));
}

/**
 * The dirty set after `op`, given the set before: register locals written since the CPU state was last made
 * current. An op that runs other code (`touched`: the registers that code may read or write, call-effects.ts)
 * stores the dirty ones among them and reloads them, so they are clean after it. NZCV is never stored for
 * other functions (emit-c.ts).
 */
export function dirtyAfter(op: IrOp, before: ReadonlySet<string>, touched: ReadonlySet<string> | undefined): Set<string> {
  const after = new Set(before);
  for (const name of opWrites(op)) if (name !== flagsName) after.add(name);
  if (touched !== undefined) for (const name of touched) after.delete(name);
  return after;
}

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
  let dirty = new Set(atStart);
  for (const op of block.ops) dirty = dirtyAfter(op, dirty, effects.touched(op));
  return dirty;
}
