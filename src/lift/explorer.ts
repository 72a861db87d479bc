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

/** Pushes the successor addresses of `insn` (at `at`) inside the same function onto `work`. */
function pushSuccessors(insn: DecodedInsn, at: number, context: FlowContext, self: bigint, table: () => bigint[], work: number[]): void {
  const flow = insn.flow;
  switch (flow.kind) {
    case "next":
    case "call_indirect":
      work.push(at + 4);
      return;
    case "call":
      if (context.returns(insn as DecodedInsn & { flow: typeof flow })) work.push(at + 4);
      return;
    case "jump":
      if (!isTailCall(flow.target, context.entries, self)) work.push(Number(flow.target));
      return;
    case "branch":
      work.push(Number(flow.target), at + 4);
      return;
    case "jump_indirect":
      for (const target of table()) work.push(Number(target));
      return;
    default:
      return;
  }
}

/** Decoded words of one executable segment, indexed by word (a dense array: no hashing of bigint keys). */
interface SegmentCache {
  start: number;
  end: number;
  words: DataView;
  decoded: (Decoded | undefined)[];
}

/**
 * Decodes, once, every instruction a function reaches. Addresses are numbers inside (exact below
 * 2^53, and a million bigint allocations fewer per lift); the decoder's own stay bigints.
 */
export class Explorer {
  private readonly caches: SegmentCache[];
  private readonly tables = new Map<bigint, bigint[]>();

  constructor(readonly image: CodeImage) {
    this.caches = image.segments
      .filter((s) => s.permissions.execute && s.base + BigInt(s.bytes.length) <= BigInt(Number.MAX_SAFE_INTEGER))
      .map((s) => ({
        start: Number(s.base),
        end: Number(s.base) + (s.bytes.length & ~3),
        words: new DataView(s.bytes.buffer, s.bytes.byteOffset, s.bytes.byteLength),
        decoded: new Array<Decoded | undefined>(s.bytes.length >> 2),
      }));
  }

  /** The decoded instruction at `at`, or undefined where there is no code. */
  decodeAt(at: number): Decoded | undefined {
    if (at % 4 !== 0) return undefined;
    const cache = this.caches.find((c) => at >= c.start && at < c.end);
    if (cache === undefined) return undefined;
    const offset = at - cache.start;
    let decoded = cache.decoded[offset >> 2];
    if (decoded === undefined) {
      decoded = decodeA64(cache.words.getUint32(offset, true), BigInt(at));
      cache.decoded[offset >> 2] = decoded;
    }
    return decoded;
  }

  decode(address: bigint): Decoded | undefined {
    return address > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : this.decodeAt(Number(address));
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

  /** All instruction addresses reachable from `entry` without leaving the function, in search order. */
  reach(entry: bigint, context: FlowContext): Set<number> {
    const seen = new Set<number>();
    const work = [Number(entry)];
    while (work.length > 0) {
      const at = work.pop() as number;
      if (seen.has(at)) continue;
      seen.add(at);
      const insn = this.decodeAt(at);
      if (insn === undefined || !insn.supported) continue;
      pushSuccessors(insn, at, context, entry, () => this.table(insn.address), work);
    }
    return seen;
  }
}
