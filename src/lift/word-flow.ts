// lift: what the explorer keeps of a decoded instruction word: one byte of flow kind and the branch offset.
// A million decoded objects kept alive for the whole lift cost more garbage-collector time than decoding
// them again where their ops are needed (docs/benchmarks.md, issue 10, session 7).
import type { Decoded } from "./a64/types.js";

/** The flow kinds the search needs, one byte per instruction word. */
export const WordKind = {
  /** No instruction word there (outside the executable segments, or not aligned). */
  noCode: 0,
  unsupported: 1,
  next: 2,
  /** An `adrp`: flows to the next instruction; discovery looks for an address formed with an `add`. */
  adrp: 3,
  jump: 4,
  /** b.cond: the jump-table search follows these back to a table's bound check. */
  branchOnFlags: 5,
  /** cbz/cbnz/tbz/tbnz. */
  branchOnRegister: 6,
  call: 7,
  callIndirect: 8,
  jumpIndirect: 9,
  ret: 10,
  trap: 11,
} as const;

export type WordKind = (typeof WordKind)[keyof typeof WordKind];

/** Marks a word not decoded yet in a segment's kind array. */
export const undecoded = 0xff;

/** The kind of a decoded word. */
export function kindOf(decoded: Decoded): WordKind {
  if (!decoded.supported) return WordKind.unsupported;
  const flow = decoded.flow;
  switch (flow.kind) {
    case "next":
      return decoded.mnemonic === "adrp" ? WordKind.adrp : WordKind.next;
    case "jump":
      return WordKind.jump;
    case "branch":
      return flow.test.kind === "flags" ? WordKind.branchOnFlags : WordKind.branchOnRegister;
    case "call":
      return WordKind.call;
    case "call_indirect":
      return WordKind.callIndirect;
    case "jump_indirect":
      return WordKind.jumpIndirect;
    case "ret":
      return WordKind.ret;
    case "trap":
      return WordKind.trap;
  }
}

/** A direct branch's target minus its own address (within +-128 MiB for every A64 branch), else 0. */
export function offsetOf(decoded: Decoded): number {
  if (!decoded.supported) return 0;
  const flow = decoded.flow;
  if (flow.kind !== "jump" && flow.kind !== "branch" && flow.kind !== "call") return 0;
  const offset = Number(BigInt.asIntN(64, flow.target - decoded.address));
  if (offset !== (offset | 0)) throw new Error(`internal error: branch at 0x${decoded.address.toString(16)} has an offset beyond 32 bits`);
  return offset;
}
