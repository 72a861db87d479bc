// lift: function discovery (entry points, bl targets) and per-function CFGs with blocks split at every branch target.
import type { IrBlock, IrFunction, IrOp, IrTerminator } from "../config/module-json.js";
import { hex64 } from "./a64/bits.js";
import { decodeA64, formatInsn } from "./a64/decode.js";
import type { BranchTest, Decoded, DecodedInsn } from "./a64/types.js";
import type { CodeImage } from "./code-image.js";
import { resolveJumpTable } from "./jump-table.js";

export interface FunctionEntry {
  name: string;
  address: bigint;
}

export interface UnsupportedSite {
  pc: string;
  word: string;
  function: string;
}

export interface LiftedFunctions {
  functions: IrFunction[];
  unsupported: UnsupportedSite[];
}

const label = (address: bigint): string => `b_${address.toString(16)}`;
const defaultName = (address: bigint): string => `fn_${address.toString(16)}`;

/** Successor addresses inside the same function, given the current set of function entries. */
function successors(insn: DecodedInsn, entries: ReadonlyMap<bigint, string>, self: bigint, table: bigint[]): bigint[] {
  const next = insn.address + 4n;
  const flow = insn.flow;
  switch (flow.kind) {
    case "next":
    case "call":
    case "call_indirect":
      return [next];
    case "jump":
      return isTailCall(flow.target, entries, self) ? [] : [flow.target];
    case "branch":
      return [flow.target, next];
    case "jump_indirect":
      return table;
    default:
      return [];
  }
}

function isTailCall(target: bigint, entries: ReadonlyMap<bigint, string>, self: bigint): boolean {
  return target !== self && entries.has(target);
}

/** Decodes, once, every instruction a function reaches. */
class Explorer {
  private readonly cache = new Map<bigint, Decoded | undefined>();
  private readonly tables = new Map<bigint, bigint[]>();

  constructor(private readonly image: CodeImage) {}

  decode(address: bigint): Decoded | undefined {
    if (!this.cache.has(address)) {
      const word = this.image.word(address);
      this.cache.set(address, word === undefined ? undefined : decodeA64(word, address));
    }
    return this.cache.get(address);
  }

  /** Jump-table targets of the `br` at `address` (found once per br). */
  table(address: bigint): bigint[] {
    let found = this.tables.get(address);
    if (found === undefined) {
      found = resolveJumpTable(this.image, (at) => this.decode(at), address);
      this.tables.set(address, found);
    }
    return found;
  }

  /** All instruction addresses reachable from `entry` without leaving the function. */
  reach(entry: bigint, entries: ReadonlyMap<bigint, string>): Set<bigint> {
    const seen = new Set<bigint>();
    const work = [entry];
    while (work.length > 0) {
      const at = work.pop() as bigint;
      if (seen.has(at)) continue;
      seen.add(at);
      const insn = this.decode(at);
      if (insn === undefined || !insn.supported) continue;
      work.push(...successors(insn, entries, entry, insn.flow.kind === "jump_indirect" ? this.table(at) : []));
    }
    return seen;
  }
}

/**
 * Finds every function reachable from `roots` through bl, plus address-taken code (adrp+add
 * constants and pointers stored in data that land on decodable code: function pointers reached
 * only through blr), and lifts each into blocks.
 */
export function liftFunctions(image: CodeImage, roots: readonly FunctionEntry[]): LiftedFunctions {
  const explorer = new Explorer(image);
  const entries = new Map<bigint, string>();
  for (const root of roots) if (!entries.has(root.address)) entries.set(root.address, root.name);
  const add = (address: bigint): void => {
    if (entries.has(address)) return;
    entries.set(address, defaultName(address));
    queue.push(address);
  };
  const queue = [...entries.keys()];
  for (;;) {
    while (queue.length > 0) {
      const entry = queue.shift() as bigint;
      for (const at of [...explorer.reach(entry, entries)].sort(compare)) {
        const insn = explorer.decode(at);
        if (insn?.supported && insn.flow.kind === "call") add(insn.flow.target);
      }
    }
    for (const address of addressTaken(image, explorer, entries)) add(address);
    if (queue.length === 0) break;
  }
  const functions: IrFunction[] = [];
  const unsupported: UnsupportedSite[] = [];
  for (const [entry, name] of [...entries].sort((a, b) => compare(a[0], b[0]))) {
    functions.push(buildFunction(explorer, entries, entry, name, unsupported));
  }
  return { functions, unsupported };
}

/** Code addresses the program takes: adrp+add pairs in reached code, and aligned pointers in data. */
function addressTaken(image: CodeImage, explorer: Explorer, entries: ReadonlyMap<bigint, string>): bigint[] {
  const found = new Set<bigint>();
  const isCode = (address: bigint): boolean => explorer.decode(address)?.supported === true;
  for (const entry of [...entries.keys()].sort(compare)) {
    for (const at of explorer.reach(entry, entries)) {
      const page = explorer.decode(at);
      const constant = page?.supported === true && page.mnemonic === "adrp" ? page.ops[0] : undefined;
      if (constant === undefined || !("dst" in constant) || !("imm" in constant)) continue;
      for (let next = at + 4n; next <= at + 16n; next += 4n) {
        const add = explorer.decode(next);
        const op = add?.supported === true && add.mnemonic === "add" ? add.ops[0] : undefined;
        if (op === undefined || !("lhs" in op) || op.lhs !== constant.dst || !op.rhs.startsWith("#")) continue;
        const value = BigInt(constant.imm) + BigInt(op.rhs.slice(1));
        if (isCode(value)) found.add(value);
        break;
      }
    }
  }
  for (const segment of image.segments) {
    if (segment.permissions.execute) continue;
    const view = new DataView(segment.bytes.buffer, segment.bytes.byteOffset, segment.bytes.byteLength);
    for (let offset = 0; offset + 8 <= segment.bytes.length; offset += 8) {
      const value = view.getBigUint64(offset, true);
      if (isCode(value)) found.add(value);
    }
  }
  return [...found].sort(compare);
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function buildFunction(
  explorer: Explorer,
  entries: ReadonlyMap<bigint, string>,
  entry: bigint,
  name: string,
  unsupported: UnsupportedSite[],
): IrFunction {
  const reached = explorer.reach(entry, entries);
  const leaders = new Set<bigint>([entry]);
  for (const at of reached) {
    const insn = explorer.decode(at);
    if (insn === undefined || !insn.supported) continue;
    const flow = insn.flow;
    if (flow.kind === "branch") leaders.add(flow.target).add(at + 4n);
    if (flow.kind === "jump" && !isTailCall(flow.target, entries, entry)) leaders.add(flow.target);
    if (flow.kind === "jump_indirect") for (const target of explorer.table(at)) leaders.add(target);
  }
  const blocks: IrBlock[] = [];
  for (const start of [...leaders].sort(compare)) {
    const ops: IrOp[] = [];
    let at = start;
    for (;;) {
      const insn = explorer.decode(at);
      if (insn === undefined) {
        blocks.push({ label: label(start), start: hex64(start), ops, terminator: trap(at, undefined, "no code at this address") });
        break;
      }
      if (!insn.supported) {
        unsupported.push({ pc: hex64(at), word: hex64(BigInt(insn.word)), function: name });
        blocks.push({ label: label(start), start: hex64(start), ops, terminator: trap(at, insn.word, insn.reason) });
        break;
      }
      ops.push({ op: "insn", pc: hex64(at), word: hex64(BigInt(insn.word)), asm: formatInsn(insn) as string }, ...insn.ops);
      const terminator = terminatorOf(insn, entries, entry, ops, explorer);
      if (terminator !== undefined) {
        blocks.push({ label: label(start), start: hex64(start), ops, terminator });
        break;
      }
      at += 4n;
      if (leaders.has(at)) {
        blocks.push({ label: label(start), start: hex64(start), ops, terminator: { op: "br", target: label(at) } });
        break;
      }
    }
  }
  return { name, entry: hex64(entry), blocks };
}

function trap(at: bigint, word: number | undefined, reason: string): IrTerminator {
  return word === undefined ? { op: "trap", pc: hex64(at), reason } : { op: "trap", pc: hex64(at), word: hex64(BigInt(word)), reason };
}

/** The block terminator an instruction ends with, or undefined when the block goes on (adding call ops). */
function terminatorOf(
  insn: DecodedInsn,
  entries: ReadonlyMap<bigint, string>,
  self: bigint,
  ops: IrOp[],
  explorer: Explorer,
): IrTerminator | undefined {
  const flow = insn.flow;
  const next = insn.address + 4n;
  switch (flow.kind) {
    case "next":
      return undefined;
    case "call":
      ops.push({ op: "call", target: entries.get(flow.target) as string, addr: hex64(flow.target), ret: hex64(next) });
      return undefined;
    case "call_indirect":
      ops.push({ op: "call_indirect", src: flow.reg, ret: hex64(next) });
      return undefined;
    case "jump": {
      const callee = entries.get(flow.target);
      if (callee !== undefined && flow.target !== self) return { op: "tail_call", target: callee, addr: hex64(flow.target) };
      return { op: "br", target: label(flow.target) };
    }
    case "branch":
      return branchTerminator(flow.test, label(flow.target), label(next));
    case "jump_indirect":
      return {
        op: "br_indirect",
        src: flow.reg,
        table: [...new Set(explorer.table(insn.address))].sort(compare).map((to) => ({ addr: hex64(to), target: label(to) })),
      };
    case "ret":
      return { op: "ret", src: flow.reg };
    case "trap":
      return trap(insn.address, insn.word, flow.reason);
  }
}

function branchTerminator(test: BranchTest, then: string, otherwise: string): IrTerminator {
  if (test.kind === "flags") return { op: "br_cond", cond: test.cond, then, else: otherwise };
  const common = { op: "br_test" as const, src: test.reg, width: test.width, then, else: otherwise };
  if (test.kind === "bit_clear" || test.kind === "bit_set") return { ...common, test: test.kind, bit: test.bit };
  return { ...common, test: test.kind };
}
