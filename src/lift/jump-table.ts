// lift: GCC-style jump tables behind `br`: a bounded index, a table of byte/half/word offsets, and an anchor.
import type { IrOp } from "../config/module-json.js";
import type { Decoded } from "./a64/types.js";
import type { CodeImage } from "./code-image.js";
import { WordKind } from "./word-flow.js";

/** The code the search reads: decoded instructions, and the flow of a word without decoding it again. */
export interface JumpTableCode {
  decode(at: bigint): Decoded | undefined;
  /** The flow kind at `at`, and the target of a direct branch there. */
  kindAt(at: number): WordKind;
  targetOf(at: number): bigint;
}

/** A branch target computed as anchor + (table entry << shift), the entry indexed by register `reg`. */
export type TargetValue = { kind: "target"; table: bigint; reg: string; size: number; signed: boolean; shift: number; anchor: bigint };

/** What the window of instructions before a `br` knows about a register. */
export type Value =
  | { kind: "const"; value: bigint }
  | { kind: "index"; reg: string; scale: number }
  | { kind: "element"; table: bigint; reg: string; scale: number }
  | { kind: "entry"; table: bigint; reg: string; size: number; signed: boolean; shift: number }
  | TargetValue;

const WINDOW = 24;
const MAX_ENTRIES = 4096;

/**
 * The targets of the `br` at `address` when the instructions before it compute
 * anchor + (table[index] << shift) with `index` bounded by a cmp/b.hi; otherwise none.
 */
export function resolveJumpTable(image: CodeImage, code: JumpTableCode, address: bigint): bigint[] {
  const decode = (at: bigint): Decoded | undefined => code.decode(at);
  const window = windowBefore(code, address);
  const br = decode(address);
  if (br === undefined || !br.supported || br.flow.kind !== "jump_indirect") return [];
  const values = constantsBefore(decode, window[0]?.address ?? address);
  let bound: { reg: string; limit: bigint } | undefined;
  for (const insn of window) {
    if (!insn.supported) continue;
    for (const op of insn.ops) {
      const compare = boundOf(op);
      if (compare !== undefined) bound = compare;
      step(op, values);
    }
  }
  const value = values.get(br.flow.reg);
  if (value?.kind !== "target" || bound === undefined || bound.reg !== value.reg) return [];
  return tableTargets(image, value, bound.limit) ?? [];
}

/** anchor + (entry << shift) for the table's entries 0..limit, read from `image`; undefined when one is not there. */
export function tableTargets(image: CodeImage, value: TargetValue, limit: bigint): bigint[] | undefined {
  if (limit >= MAX_ENTRIES) return undefined;
  const targets: bigint[] = [];
  for (let i = 0n; i <= limit; i++) {
    const bytes = image.read(value.table + i * BigInt(value.size), value.size);
    if (bytes === undefined) return undefined;
    let entry = 0n;
    bytes.forEach((byte, at) => (entry |= BigInt(byte) << BigInt(8 * at)));
    if (value.signed && entry >> BigInt(8 * value.size - 1) === 1n) entry -= 1n << BigInt(8 * value.size);
    targets.push((value.anchor + (entry << BigInt(value.shift))) & ((1n << 64n) - 1n));
  }
  return targets;
}

const SEED = 64;

/**
 * Constants (adrp/add, mov) that the instructions in address order before `start` leave in registers.
 * GCC hoists a table's address out of the loop around a switch, so it may be set before the straight-line
 * window. This ignores control flow: a wrong guess only yields a table whose targets do not match the
 * running value of the branch register, which the emitted dispatch then reports as a fault, never a
 * silent wrong jump.
 */
function constantsBefore(decode: (at: bigint) => Decoded | undefined, start: bigint): Map<string, Value> {
  const values = new Map<string, Value>();
  for (let at = start - 4n * BigInt(SEED); at < start; at += 4n) {
    const insn = at < 0n ? undefined : decode(at);
    if (insn?.supported !== true) continue;
    for (const op of insn.ops) step(op, values);
    // A call leaves the caller-saved registers (x0..x18, x30) undefined.
    if (insn.flow.kind === "call" || insn.flow.kind === "call_indirect") {
      for (let r = 0; r <= 18; r++) values.delete(`x${r}`);
      values.delete("x30");
    }
  }
  for (const [reg, value] of values) if (value.kind !== "const") values.delete(reg);
  return values;
}

/**
 * The straight-line instructions that run before `address`: back to the block start, then on
 * through the conditional branch that jumps to that block (GCC's `cmp; b.ls table`) when the
 * block is not reached by falling through.
 */
function windowBefore(code: JumpTableCode, address: bigint): Decoded[] {
  const window: Decoded[] = [];
  let hopped = false;
  for (let at = address - 4n; window.length < WINDOW; at -= 4n) {
    const kind = at < 0n || at > BigInt(Number.MAX_SAFE_INTEGER) ? WordKind.noCode : code.kindAt(Number(at));
    if (kind === WordKind.next || kind === WordKind.adrp || kind === WordKind.branchOnFlags) {
      window.unshift(code.decode(at) as Decoded);
      continue;
    }
    const start = at + 4n;
    const branch = hopped ? undefined : findBranchTo(code, start);
    if (branch === undefined) break;
    hopped = true;
    at = branch + 4n;
  }
  return window;
}

/** How far (in instructions) before the table's block the bounding `b.ls` may be: GCC may place it well apart. */
const BRANCH_REACH = 256;

function findBranchTo(code: JumpTableCode, target: bigint): bigint | undefined {
  for (let at = target - 4n; at >= target - 4n * BigInt(BRANCH_REACH) && at >= 0n; at -= 4n) {
    const address = Number(at);
    if (at <= BigInt(Number.MAX_SAFE_INTEGER) && code.kindAt(address) === WordKind.branchOnFlags && code.targetOf(address) === target) return at;
  }
  return undefined;
}

/** `cmp wN, #imm` (the bound; b.hi then skips the table). */
export function boundOf(op: IrOp): { reg: string; limit: bigint } | undefined {
  const { lhs, rhs } = op as OpFields;
  if ((op.op === "cmp_i32" || op.op === "cmp_i64") && lhs !== undefined && rhs?.startsWith("#") === true) {
    return { reg: lhs, limit: BigInt(rhs.slice(1)) };
  }
  return undefined;
}

function immediate(operand: string, values: Map<string, Value>): bigint | undefined {
  if (operand.startsWith("#")) return BigInt(operand.slice(1));
  const value = values.get(operand);
  return value?.kind === "const" ? value.value : undefined;
}

const loadSizes: Record<string, [number, boolean]> = {
  load_i8: [1, false], load_i16: [2, false], load_i32: [4, false],
  load_s8_i32: [1, true], load_s16_i32: [2, true], load_s8_i64: [1, true], load_s16_i64: [2, true], load_s32_i64: [4, true],
};

/** The fields an op may have, for reading ops generically. */
interface OpFields {
  op: string;
  dst?: string;
  src?: string;
  lhs?: string;
  rhs?: string;
  imm?: string;
  bits?: number;
  addr?: string;
  offset?: number;
}

/** Abstract interpretation of one op over the few shapes a jump table takes. */
export function step(ir: IrOp, values: Map<string, Value>): void {
  const op = ir as OpFields;
  if (op.dst === undefined) return;
  const result = evaluate(op, values);
  if (result === undefined) values.delete(op.dst);
  else values.set(op.dst, result);
}

function evaluate(op: OpFields, values: Map<string, Value>): Value | undefined {
  const { lhs = "", rhs = "", src = "" } = op;
  switch (op.op) {
    case "const_i64":
      return { kind: "const", value: BigInt(op.imm ?? "0") };
    case "mov_i64":
      return values.get(src) ?? { kind: "index", reg: src, scale: 0 };
    case "zext_i64":
      return { kind: "index", reg: src, scale: 0 };
    case "sext_i64": {
      const entry = values.get(src);
      return entry?.kind === "entry" ? { ...entry, signed: true, size: (op.bits ?? 0) / 8 } : undefined;
    }
    case "lsl_i64": {
      const base = values.get(lhs);
      const amount = Number(immediate(rhs, values) ?? -1n);
      if (base?.kind === "index") return { ...base, scale: base.scale + amount };
      if (base?.kind === "entry") return { ...base, shift: base.shift + amount };
      return undefined;
    }
    case "add_i64": {
      const [a, b] = [immediate(lhs, values), immediate(rhs, values)];
      if (a !== undefined && b !== undefined) return { kind: "const", value: a + b };
      const anchor = a ?? b;
      const other = a !== undefined ? values.get(rhs) : values.get(lhs);
      if (anchor === undefined || other === undefined) return undefined;
      if (other.kind === "index") return { kind: "element", table: anchor, reg: other.reg, scale: other.scale };
      if (other.kind === "entry") return { ...other, kind: "target", anchor };
      return undefined;
    }
    default: {
      const load = loadSizes[op.op];
      const element = values.get(op.addr ?? "");
      if (load === undefined || element?.kind !== "element" || op.offset !== 0 || 1 << element.scale !== load[0]) return undefined;
      return { kind: "entry", table: element.table, reg: element.reg, size: load[0], signed: load[1], shift: 0 };
    }
  }
}
