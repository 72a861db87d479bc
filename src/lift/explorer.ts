// lift: decoding every instruction once for its flow, and the instructions a function reaches without leaving it.
import { decodeA64 } from "./a64/decode.js";
import type { Decoded } from "./a64/types.js";
import type { CodeImage } from "./code-image.js";
import type { FunctionExtents } from "./function-extents.js";
import { resolveJumpTable } from "./jump-table.js";
import { labelTargets, moduleLabels } from "./label-tables.js";
import { kindOf, offsetOf, undecoded, WordKind } from "./word-flow.js";

/** What the flow of one function depends on: the known function entries, and which calls return. */
export interface FlowContext {
  entries: ReadonlyMap<bigint, string>;
  /** Whether execution comes back after the `bl` at `at` (false: padding or another function follows). */
  returns(at: number): boolean;
}

export { compare } from "./address-order.js";

export function isTailCall(target: bigint, entries: ReadonlyMap<bigint, string>, self: bigint): boolean {
  return target !== self && entries.has(target);
}

/**
 * One executable segment's words as the search sees them, indexed by word: the flow kind and branch
 * offset of each (typed arrays: no object per instruction stays alive), and the stamp of the last
 * search that reached it.
 */
interface SegmentWords {
  start: number;
  end: number;
  words: DataView;
  kinds: Uint8Array;
  offsets: Int32Array;
  seen: Uint32Array;
}

/**
 * Classifies, once, every instruction a function reaches; the decoder's objects are made again where
 * their ops or operands are needed (`decodeAt`). Addresses are numbers inside (exact below 2^53).
 */
export class Explorer {
  private readonly segments: SegmentWords[];
  private readonly tables = new Map<bigint, bigint[]>();
  private readonly labelTables = new Map<bigint, bigint[]>();
  /** Every label the module's code forms (found on first need). */
  private labelsOfModule: bigint[] | undefined;
  private stamp = 0;

  /**
   * `data` is the image as loaded (relocations applied), where tables of label addresses are read;
   * `extents` where functions end, so that their labels are known.
   */
  constructor(
    readonly image: CodeImage,
    private readonly labels?: { data: CodeImage; extents: FunctionExtents },
  ) {
    this.segments = image.segments
      .filter((s) => s.permissions.execute && s.base + BigInt(s.bytes.length) <= BigInt(Number.MAX_SAFE_INTEGER))
      .map((s) => {
        const count = s.bytes.length >> 2;
        return {
          start: Number(s.base),
          end: Number(s.base) + (s.bytes.length & ~3),
          words: new DataView(s.bytes.buffer, s.bytes.byteOffset, s.bytes.byteLength),
          kinds: new Uint8Array(count).fill(undecoded),
          offsets: new Int32Array(count),
          seen: new Uint32Array(count),
        };
      });
  }

  private segmentOf(at: number): SegmentWords | undefined {
    if (at % 4 !== 0) return undefined;
    for (const segment of this.segments) if (at >= segment.start && at < segment.end) return segment;
    return undefined;
  }

  /** The flow kind of the word at `at` (decoded on first use). */
  kindAt(at: number): WordKind {
    const segment = this.segmentOf(at);
    if (segment === undefined) return WordKind.noCode;
    const index = (at - segment.start) >> 2;
    const kind = segment.kinds[index];
    if (kind !== undecoded) return kind as WordKind;
    const decoded = decodeA64(segment.words.getUint32(index << 2, true), BigInt(at));
    segment.offsets[index] = offsetOf(decoded);
    return (segment.kinds[index] = kindOf(decoded));
  }

  /** The target of the direct branch or call at `at` (a classified word). */
  targetOf(at: number): bigint {
    const segment = this.segmentOf(at) as SegmentWords;
    return BigInt.asUintN(64, BigInt(at) + BigInt(segment.offsets[(at - segment.start) >> 2]));
  }

  /** `Number(targetOf(at))` without making a bigint when the target is a safe integer. */
  targetNumber(at: number): number {
    const segment = this.segmentOf(at) as SegmentWords;
    const target = at + segment.offsets[(at - segment.start) >> 2];
    return target >= 0 && target <= Number.MAX_SAFE_INTEGER ? target : Number(this.targetOf(at));
  }

  /** The decoder's object for the instruction at `at` (made anew on every call), or undefined where there is no code. */
  decodeAt(at: number): Decoded | undefined {
    const segment = this.segmentOf(at);
    return segment === undefined ? undefined : decodeA64(segment.words.getUint32(at - segment.start, true), BigInt(at));
  }

  decode(address: bigint): Decoded | undefined {
    return address > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : this.decodeAt(Number(address));
  }

  /** Whether `address` holds an instruction recomp decodes. */
  isCode(address: bigint): boolean {
    return address <= BigInt(Number.MAX_SAFE_INTEGER) && isSupported(this.kindAt(Number(address)));
  }

  /** Targets of the `switch` jump table the `br` at `address` ends (found once per br); none for any other br. */
  switchTable(address: bigint): bigint[] {
    let found = this.tables.get(address);
    if (found === undefined) {
      found = resolveJumpTable(this.image, this, address);
      this.tables.set(address, found);
    }
    return found;
  }

  /**
   * The in-function targets of the `br` at `address` in the function entered at `entry`: its switch
   * table, else the function's computed-goto labels (label-tables.ts, found once per function).
   */
  table(address: bigint, entry: bigint): bigint[] {
    const switchTargets = this.switchTable(address);
    if (switchTargets.length > 0) return switchTargets;
    const extent = this.labels?.extents.of(entry);
    if (this.labels === undefined || extent === undefined || address < extent.start || address >= extent.end) return [];
    let found = this.labelTables.get(entry);
    if (found === undefined) {
      this.labelsOfModule ??= moduleLabels(this, this.labels.extents);
      found = labelTargets(this, this.labels.data, extent, this.labelsOfModule);
      this.labelTables.set(entry, found);
    }
    return found;
  }

  /** All instruction addresses reachable from `entry` without leaving the function, in search order. */
  reach(entry: bigint, context: FlowContext): number[] {
    const stamp = ++this.stamp;
    const outside = new Set<number>();
    const reached: number[] = [];
    const work = [Number(entry)];
    while (work.length > 0) {
      const at = work.pop() as number;
      const segment = this.segmentOf(at);
      if (segment === undefined) {
        if (!outside.has(at)) reached.push(at);
        outside.add(at);
        continue;
      }
      const index = (at - segment.start) >> 2;
      if (segment.seen[index] === stamp) continue;
      segment.seen[index] = stamp;
      reached.push(at);
      this.pushSuccessors(at, context, entry, work);
    }
    return reached;
  }

  /** Pushes the successor addresses of the instruction at `at` inside the same function onto `work`. */
  private pushSuccessors(at: number, context: FlowContext, self: bigint, work: number[]): void {
    switch (this.kindAt(at)) {
      case WordKind.next:
      case WordKind.adrp:
      case WordKind.callIndirect:
        work.push(at + 4);
        return;
      case WordKind.call:
        if (context.returns(at)) work.push(at + 4);
        return;
      case WordKind.jump:
        if (!isTailCall(this.targetOf(at), context.entries, self)) work.push(this.targetNumber(at));
        return;
      case WordKind.branchOnFlags:
      case WordKind.branchOnRegister:
        work.push(this.targetNumber(at), at + 4);
        return;
      case WordKind.jumpIndirect:
        for (const target of this.table(BigInt(at), self)) work.push(Number(target));
        return;
      default:
        return;
    }
  }
}

/** Whether a word of this kind is an instruction recomp decodes. */
export const isSupported = (kind: WordKind): boolean => kind !== WordKind.noCode && kind !== WordKind.unsupported;
