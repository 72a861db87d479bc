// lift: when a jump table's `br` can reach nothing but its table's targets, so a miss is a fault rather than a
// dispatch to any function (docs/ir.md, br_indirect's `complete`). The proof reads the branch's own block and
// the one block before it, never a guess from instructions outside them.
import type { IrOp, IrTerminator } from "../config/module-json.js";
import type { DecodedInsn } from "./a64/types.js";
import { blockLabel } from "./cfg.js";
import type { CodeImage } from "./code-image.js";
import { boundOf, step, tableTargets, type TargetValue, type Value } from "./jump-table.js";

/** The blocks of one function as cfg.ts builds them: `count` instructions from `start`, labels `b_<hex start>`. */
export interface ProofBlock {
  start: number;
  count: number;
  terminator: IrTerminator;
}

/** The bytes of a proven table: the branch goes to its targets alone as long as they hold what the lift read. */
export interface ProvenTable {
  table: bigint;
  bytes: number;
}

/** A register name no op writes: the index value read from the bounded register while it still held it. */
const boundedIndex = "#bounded";
const flagWriter = /^(adds|subs|ands|adcs|sbcs|cmp|cmn|test|ccmp|ccmn)_i(32|64)$/;
/** Ops that run other code, or touch registers or flags beyond their `dst`: the proof does not look through them. */
const opaque = new Set(["call", "call_indirect", "svc", "helper", "sysreg_write"]);

function successors(end: IrTerminator): string[] {
  if (end.op === "br") return [end.target];
  if (end.op === "br_cond" || end.op === "br_test") return [end.then, end.else];
  if (end.op === "br_indirect") return end.table.map((entry) => entry.target);
  return [];
}

/**
 * Proves that the `br_indirect` ending `blocks[at]` goes only to its table: the block is entered only from one
 * block that ends in `cmp wN/xN, #limit; b.ls` to it (or `b.hi` past it), and computes anchor + (table[index] <<
 * shift) from constants of the two blocks and the compared register's value (zero-extended from 32 bits for a
 * 32-bit compare), with the table in a read-only segment of `data` (the image as loaded) and its targets the
 * branch's. Returns the table's byte range, or undefined when any step does not hold.
 */
export function proveJumpTable(blocks: readonly ProofBlock[], at: number, entry: bigint, decode: (at: number) => DecodedInsn | undefined, data: CodeImage): ProvenTable | undefined {
  const block = blocks[at];
  const end = block?.terminator;
  if (block === undefined || end?.op !== "br_indirect" || end.table.length === 0 || BigInt(block.start) === entry) return undefined;
  const label = blockLabel(block.start);
  const edges = blocks.flatMap((from) => successors(from.terminator).filter((to) => to === label).map(() => from));
  const guard = edges.length === 1 ? edges[0] : undefined;
  const cond = guard?.terminator.op === "br_cond" ? guard.terminator : undefined;
  if (guard === undefined || cond === undefined) return undefined;
  if (!((cond.cond === "ls" && cond.then === label) || (cond.cond === "hi" && cond.else === label))) return undefined;
  const [guardOps, blockOps] = [opsOf(guard, decode), opsOf(block, decode)];
  const target = guardOps.includes(undefined) || blockOps.includes(undefined) ? undefined : boundedTarget(guardOps as IrOp[], blockOps as IrOp[], end.src);
  if (target === undefined) return undefined;
  const bytes = Number(target.limit + 1n) * target.value.size;
  if (!readOnly(data, target.value.table, bytes)) return undefined;
  const targets = tableTargets(data, target.value, target.limit);
  const recorded = new Set(end.table.map((entry) => BigInt(entry.addr)));
  if (targets === undefined || targets.some((to) => !recorded.has(to))) return undefined;
  return { table: target.value.table, bytes };
}

/** The IR ops of a block's instructions (undefined where an instruction is not decoded). */
function opsOf(block: ProofBlock, decode: (at: number) => DecodedInsn | undefined): (IrOp | undefined)[] {
  const ops: (IrOp | undefined)[] = [];
  for (let i = 0; i < block.count; i++) {
    const insn = decode(block.start + 4 * i);
    if (insn === undefined) ops.push(undefined);
    else ops.push(...insn.ops);
  }
  return ops;
}

type Fields = { op: string; dst?: unknown; src?: string; bits?: number; status?: string };
type Bound = { reg: string; limit: bigint; wide: boolean };

/**
 * Runs the ops of the guard block, then of the branch's block: the guard's last flag write must be the bounding
 * compare (its terminator reads it), and the branch register must hold a table target whose index was read from
 * the compared register before anything wrote it again. An op that writes registers other than one `dst` (a
 * pair, a status, a call's) ends the proof.
 */
function boundedTarget(guardOps: readonly IrOp[], blockOps: readonly IrOp[], branchReg: string): { value: TargetValue; limit: bigint } | undefined {
  const values = new Map<string, Value>();
  let bound: Bound | undefined;
  for (const [i, ir] of [...guardOps, ...blockOps].entries()) {
    const op = ir as Fields;
    if (opaque.has(op.op) || op.status !== undefined || (op.dst !== undefined && typeof op.dst !== "string")) return undefined;
    // Flags written in the branch's block are read by nothing that bounds the index.
    if (i < guardOps.length && flagWriter.test(op.op)) bound = compareBound(ir);
    const fromBound = bound !== undefined && op.src === bound.reg && (bound.wide ? op.op === "mov_i64" : op.op === "zext_i64" && op.bits === 32);
    step(ir, values);
    if (typeof op.dst === "string" && fromBound) values.set(op.dst, { kind: "index", reg: boundedIndex, scale: 0 });
    if (bound !== undefined && op.dst === bound.reg) bound = { ...bound, reg: boundedIndex };
  }
  const value = values.get(branchReg);
  if (value?.kind !== "target" || value.reg !== boundedIndex || bound === undefined) return undefined;
  return { value, limit: bound.limit };
}

function compareBound(op: IrOp): Bound | undefined {
  const compare = boundOf(op);
  return compare === undefined ? undefined : { ...compare, wide: op.op.endsWith("64") };
}

/** Whether `bytes` from `address` lie in one segment the guest cannot write. */
function readOnly(data: CodeImage, address: bigint, bytes: number): boolean {
  return data.segments.some((segment) => !segment.permissions.write && address >= segment.base && address + BigInt(bytes) <= segment.base + BigInt(segment.bytes.length));
}
