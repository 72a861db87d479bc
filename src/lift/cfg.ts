// lift: per-function CFGs with blocks split at every branch target, over the functions discovery finds.
import type { IrTerminator } from "../config/module-json.js";
import { hex64, hexOf } from "./a64/bits.js";
import type { BranchTest, DecodedInsn, UnsupportedInsn } from "./a64/types.js";
import type { CodeImage } from "./code-image.js";
import { discoverFunctions } from "./discovery.js";
import { compare, Explorer, isTailCall, type FlowContext } from "./explorer.js";
import { FunctionExtents } from "./function-extents.js";
import { proveJumpTable } from "./jump-table-proof.js";
import type { AddressRange } from "./module-code.js";
import { WordKind } from "./word-flow.js";

export interface FunctionEntry {
  name: string;
  address: bigint;
  /** The function's extent in bytes when a symbol table gives it (st_size); its labels lie inside. */
  size?: bigint;
}

export interface UnsupportedSite {
  pc: string;
  word: string;
  function: string;
}

/**
 * A block as the lifter keeps it until module.json is written: `count` instructions from `start`, each
 * still the decoder's object in the explorer (no second IR object per instruction: code.ts builds the
 * IR ops, or writes their JSON, from them).
 */
export interface LiftedBlock {
  start: number;
  count: number;
  terminator: IrTerminator;
}

export interface LiftedFunction {
  name: string;
  entry: bigint;
  blocks: LiftedBlock[];
}

export interface LiftedFunctions {
  functions: LiftedFunction[];
  unsupported: UnsupportedSite[];
  /** The decoded instructions the blocks refer to. */
  explorer: Explorer;
  /** Function entries by address (the targets of call ops). */
  entries: ReadonlyMap<bigint, string>;
}

/** A block's label: b_ and its start address in hex. */
export const blockLabel = (address: bigint | number): string => `b_${hexOf(address)}`;

/** What discovery starts from besides the roots: FDE ranges and the relocated data image. */
export interface DiscoveryOptions {
  fdes?: readonly AddressRange[];
  /** The image with relocations applied (default: `image`). */
  data?: CodeImage;
}

/**
 * Finds every function (docs/ir.md "Functions and blocks") and lifts each into blocks; a call
 * that never returns ends its block with a trap instead of running into what follows it.
 */
export function liftFunctions(image: CodeImage, roots: readonly FunctionEntry[], options: DiscoveryOptions = {}): LiftedFunctions {
  const fdes = options.fdes ?? [];
  const data = options.data ?? image;
  const extents = new FunctionExtents(fdes, roots);
  const explorer = new Explorer(image, { data, extents });
  const context = discoverFunctions(explorer, { roots, fdes, data, extents });
  const functions: LiftedFunction[] = [];
  const unsupported: UnsupportedSite[] = [];
  for (const [entry, name] of [...context.entries].sort((a, b) => compare(a[0], b[0]))) {
    functions.push(withProvenTables(buildFunction(explorer, context, entry, name, unsupported), explorer, data));
  }
  return { functions, unsupported, explorer, entries: context.entries };
}

function buildFunction(
  explorer: Explorer,
  context: FlowContext,
  entry: bigint,
  name: string,
  unsupported: UnsupportedSite[],
): LiftedFunction {
  const leaders = blockLeaders(explorer, context, entry);
  const blocks: LiftedBlock[] = [];
  for (const start of [...leaders].sort((a, b) => a - b)) {
    for (let at = start; ; at += 4) {
      const count = (at - start) >> 2;
      const kind = explorer.kindAt(at);
      if (kind === WordKind.noCode) {
        blocks.push({ start, count, terminator: trap(BigInt(at), undefined, "no code at this address") });
        break;
      }
      if (kind === WordKind.unsupported) {
        const insn = explorer.decodeAt(at) as UnsupportedInsn;
        unsupported.push({ pc: `0x${at.toString(16)}`, word: hex64(BigInt(insn.word)), function: name });
        blocks.push({ start, count, terminator: trap(insn.address, insn.word, insn.reason) });
        break;
      }
      const terminator = endsBlock(kind, at, context) ? terminatorOf(explorer.decodeAt(at) as DecodedInsn, context, entry, explorer) : undefined;
      if (terminator !== undefined) {
        blocks.push({ start, count: count + 1, terminator });
        break;
      }
      if (leaders.has(at + 4)) {
        blocks.push({ start, count: count + 1, terminator: { op: "br", target: blockLabel(at + 4) } });
        break;
      }
    }
  }
  return { name, entry, blocks };
}

/** Marks each jump table whose branch can go nowhere else as complete (jump-table-proof.ts). */
function withProvenTables(fn: LiftedFunction, explorer: Explorer, data: CodeImage): LiftedFunction {
  const decode = (at: number): DecodedInsn | undefined => {
    const insn = explorer.decodeAt(at);
    return insn?.supported === true ? insn : undefined;
  };
  fn.blocks.forEach((block, at) => {
    const proven = block.terminator.op === "br_indirect" ? proveJumpTable(fn.blocks, at, fn.entry, decode, data) : undefined;
    if (proven !== undefined && block.terminator.op === "br_indirect") block.terminator.complete = { table: hex64(proven.table), bytes: proven.bytes };
  });
  return fn;
}

/** The function's entry and every address a branch or jump table in it goes to. */
function blockLeaders(explorer: Explorer, context: FlowContext, entry: bigint): Set<number> {
  const leaders = new Set<number>([Number(entry)]);
  for (const at of explorer.reach(entry, context)) {
    const kind = explorer.kindAt(at);
    if (kind === WordKind.branchOnFlags || kind === WordKind.branchOnRegister) leaders.add(explorer.targetNumber(at)).add(at + 4);
    if (kind === WordKind.jump && !isTailCall(explorer.targetOf(at), context.entries, entry)) leaders.add(explorer.targetNumber(at));
    if (kind === WordKind.jumpIndirect) for (const target of explorer.table(BigInt(at), entry)) leaders.add(Number(target));
  }
  return leaders;
}

/** Whether the supported instruction at `at` ends its block (a call only when it does not return). */
function endsBlock(kind: WordKind, at: number, context: FlowContext): boolean {
  if (kind === WordKind.call) return !context.returns(at);
  return kind !== WordKind.next && kind !== WordKind.adrp && kind !== WordKind.callIndirect;
}

function trap(at: bigint, word: number | undefined, reason: string): IrTerminator {
  return word === undefined ? { op: "trap", pc: hex64(at), reason } : { op: "trap", pc: hex64(at), word: hex64(BigInt(word)), reason };
}

/** The block terminator an instruction ends with, or undefined when the block goes on (calls add ops: code.ts). */
function terminatorOf(insn: DecodedInsn, context: FlowContext, self: bigint, explorer: Explorer): IrTerminator | undefined {
  const entries = context.entries;
  const flow = insn.flow;
  const next = insn.address + 4n;
  switch (flow.kind) {
    case "next":
      return undefined;
    case "call":
      if (context.returns(Number(insn.address))) return undefined;
      return trap(next, undefined, `${entries.get(flow.target) as string} does not return`);
    case "call_indirect":
      return undefined;
    case "jump": {
      const callee = entries.get(flow.target);
      if (callee !== undefined && flow.target !== self) return { op: "tail_call", target: callee, addr: hex64(flow.target) };
      return { op: "br", target: blockLabel(flow.target) };
    }
    case "branch":
      return branchTerminator(flow.test, blockLabel(flow.target), blockLabel(next));
    case "jump_indirect":
      return {
        op: "br_indirect",
        src: flow.reg,
        table: [...new Set(explorer.table(insn.address, self))].sort(compare).map((to) => ({ addr: hex64(to), target: blockLabel(to) })),
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
