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

/** Decoded words of one executable segment, indexed by word (a dense array: no hashing of bigint keys). */
interface SegmentCache {
  base: bigint;
  end: bigint;
  decoded: (Decoded | undefined)[];
}

/** Decodes, once, every instruction a function reaches. */
export class Explorer {
  private readonly caches: SegmentCache[];
  private readonly tables = new Map<bigint, bigint[]>();

  constructor(readonly image: CodeImage) {
    this.caches = image.segments
      .filter((s) => s.permissions.execute)
      .map((s) => ({ base: s.base, end: s.base + BigInt(s.bytes.length & ~3), decoded: new Array<Decoded | undefined>(s.bytes.length >> 2) }));
  }

  /** The decoded instruction at `address`, or undefined where there is no code. */
  decode(address: bigint): Decoded | undefined {
    if ((address & 3n) !== 0n) return undefined;
    const cache = this.caches.find((c) => address >= c.base && address < c.end);
    if (cache === undefined) return undefined;
    const index = Number(address - cache.base) >> 2;
    let decoded = cache.decoded[index];
    if (decoded === undefined) {
      decoded = decodeA64(this.image.word(address) as number, address);
      cache.decoded[index] = decoded;
    }
    return decoded;
  }

  /** Whether `address` holds an instruction recomp decodes. */
  isCode(address: bigint): boolean {
    return this.decode(address)?.supported === true;
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
