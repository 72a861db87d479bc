// emit: how lifted functions call each other: x0, x1 and x30 as C arguments, the return address and x0 as the C result.
import type { IrFunction, IrOp } from "../config/module-json.js";
import type { CallEffects } from "./call-effects.js";

/**
 * The registers a lifted function takes as C arguments (runtime/core/program.h, rt_guest_fn): AAPCS64's first two
 * argument registers and the link register, in rsi, rdx and rcx with the System V x86-64 ABI (`cpu` in rdi). Every
 * function has them as C locals; their CPU-state copies may be stale at entry, so they start dirty. x0 and the
 * address `ret` branches to come back as the C result (rt_return, rax and rdx), so x0 is never stored for a direct
 * call or a return. More arguments measured worse (docs/benchmarks.md): a register argument the function only
 * passes on, or needs on an abort path, stays live in a host register across the whole function, where a value in
 * the CPU state costs nothing until it is read.
 */
export const callArguments: readonly string[] = ["x0", "x1", "x30"];
const argumentSet: ReadonlySet<string> = new Set(callArguments);
export const isCallArgument = (name: string): boolean => argumentSet.has(name);

/** A direct call to `address`, as call-effects.ts looks callees up: for tail calls and a function's own summary. */
export const directCall = (address: string): IrOp => ({ op: "call", addr: address, ret: address }) as unknown as IrOp;

/** What a direct call does with the registers (the sets below), computed once per callee and summary. */
interface CallSets {
  stored: ReadonlySet<string>;
  passed: ReadonlySet<string>;
  reloaded: ReadonlySet<string>;
  clean: ReadonlySet<string>;
}

/** Per summary (one per unit), per callee address: the sets are asked for at every call in every analysis round. */
const setsBySummary = new WeakMap<CallEffects, Map<string, CallSets>>();

function callSets(op: IrOp, effects: CallEffects): CallSets {
  const address = (op as IrOp & { addr: string }).addr;
  let byCallee = setsBySummary.get(effects);
  if (byCallee === undefined) setsBySummary.set(effects, (byCallee = new Map<string, CallSets>()));
  const known = byCallee.get(address);
  if (known !== undefined) return known;
  const touched = effects.touched(op) ?? new Set<string>();
  const changed = effects.changed(op) ?? new Set<string>();
  const kept = effects.exactArguments(op) ? argumentSet : new Set(["x0"]);
  const stored = new Set([...touched].filter((name) => !kept.has(name)));
  const sets: CallSets = {
    stored,
    passed: new Set(callArguments.filter((name) => name === "x0" || name === "x30" || touched.has(name))),
    reloaded: new Set([...changed].filter((name) => name !== "x0")),
    clean: new Set([...stored, ...callArguments.filter((name) => name !== "x0" && changed.has(name))]),
  };
  byCallee.set(address, sets);
  return sets;
}

/**
 * The registers a direct call stores into the CPU state before the callee runs (of those dirty): those the callee
 * may touch that it does not get as arguments. When the caller does not know which arguments the callee may change
 * (CallEffects.exactArguments), it also stores x1 and x30, which it reloads afterwards and which the callee
 * stores on return only when it changes them.
 */
export const storedBeforeCall = (op: IrOp, effects: CallEffects): ReadonlySet<string> => callSets(op, effects).stored;

/** The arguments a direct call passes from its locals: x0 and x30 always (they come back), x1 when the callee may read it; else 0. */
export const passedArguments = (op: IrOp, effects: CallEffects): ReadonlySet<string> => callSets(op, effects).passed;

/** The registers reloaded from the CPU state after a direct call (of those read again): what the callee may change, but x0, its C result. */
export const reloadedAfterCall = (op: IrOp, effects: CallEffects): ReadonlySet<string> => callSets(op, effects).reloaded;

/**
 * The registers whose local and CPU-state copy agree after a direct call: those stored before it, and the arguments
 * the callee stored because it changed them. An argument it does not change keeps the caller's local, dirty or not;
 * x0 comes back as a C result and is dirty.
 */
export const cleanAfterCall = (op: IrOp, effects: CallEffects): ReadonlySet<string> => callSets(op, effects).clean;

/**
 * What a function stores into the CPU state when it returns (of its dirty registers): what its callers reload,
 * the registers it may change (its own summary, call-effects.ts), but x0.
 */
export const storedAtReturn = (fn: IrFunction, effects: CallEffects): ReadonlySet<string> => reloadedAfterCall(directCall(fn.entry), effects);

/** What a tail call to `address` stores first: what that callee needs and what this function's callers reload. */
export function storedBeforeTailCall(fn: IrFunction, address: string, effects: CallEffects): ReadonlySet<string> {
  return new Set([...storedBeforeCall(directCall(address), effects), ...storedAtReturn(fn, effects)]);
}

/** The C arguments of a call from a lifted function's locals: `passed` by name, the others 0. */
export const callArgumentList = (passed: ReadonlySet<string>): string => ["cpu", ...callArguments.map((name) => (passed.has(name) ? name : "0"))].join(", ");
