// lift: decoding every instruction once, and the instructions a function reaches without leaving it.
import { decodeA64 } from "./a64/decode.js";
import type { Decoded, DecodedInsn } from "./a64/types.js";
import type { CodeImage } from "./code-image.js";
import { resolveJumpTable } from "./jump-table.js";

/** What the flow of one function depends on: the known function entries, and which calls return. */
export interface FlowContext {
  entries: ReadonlyMap<bigint, string>;
  /** Whether execution comes back after this `bl` (false: padding or another function follows). */
  returns(call: DecodedInsn & { flow: { kind: "call" } }): boolean;
}

export function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isTailCall(target: bigint, entries: ReadonlyMap<bigint, string>, self: bigint): boolean {
  return target !== self && entries.has(target);
}

/** Successor addresses inside the same function. */
function successors(insn: DecodedInsn, context: FlowContext, self: bigint, table: bigint[]): bigint[] {
  const next = insn.address + 4n;
  const flow = insn.flow;
  switch (flow.kind) {
    case "next":
    case "call_indirect":
      return [next];
    case "call":
      return context.returns(insn as DecodedInsn & { flow: typeof flow }) ? [next] : [];
    case "jump":
      return isTailCall(flow.target, context.entries, self) ? [] : [flow.target];
    case "branch":
      return [flow.target, next];
    case "jump_indirect":
      return table;
    default:
      return [];
  }
}

/** Decodes, once, every instruction a function reaches. */
export class Explorer {
  private readonly cache = new Map<bigint, Decoded | undefined>();
  private readonly tables = new Map<bigint, bigint[]>();

  constructor(readonly image: CodeImage) {}

  decode(address: bigint): Decoded | undefined {
    let decoded = this.cache.get(address);
    if (decoded === undefined && !this.cache.has(address)) {
      const word = this.image.word(address);
      decoded = word === undefined ? undefined : decodeA64(word, address);
      this.cache.set(address, decoded);
    }
    return decoded;
  }

  /** Whether `address` holds an instruction recomp decodes (cheap for addresses outside the code). */
  isCode(address: bigint): boolean {
    return this.image.word(address) !== undefined && this.decode(address)?.supported === true;
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
  reach(entry: bigint, context: FlowContext): Set<bigint> {
    const seen = new Set<bigint>();
    const work = [entry];
    while (work.length > 0) {
      const at = work.pop() as bigint;
      if (seen.has(at)) continue;
      seen.add(at);
      const insn = this.decode(at);
      if (insn === undefined || !insn.supported) continue;
      work.push(...successors(insn, context, entry, insn.flow.kind === "jump_indirect" ? this.table(at) : []));
    }
    return seen;
  }
}
