// lift: where each function's code ends, as the image says it (FDE ranges, symbol sizes): the addresses
// strictly inside a function are its labels (computed-goto targets), never other functions' entries.
import { compare, firstAbove } from "./address-order.js";
import type { FunctionEntry } from "./cfg.js";
import type { AddressRange } from "./module-code.js";

export class FunctionExtents {
  /** The known ranges' starts, ascending; `reach[i]`: the largest end among the ranges of starts 0..i. */
  private readonly starts: bigint[];
  private readonly reach: bigint[] = [];
  private readonly byEntry = new Map<bigint, AddressRange>();

  constructor(fdes: readonly AddressRange[], roots: readonly FunctionEntry[]) {
    const sized = roots.flatMap((root) => (root.size === undefined || root.size === 0n ? [] : [{ start: root.address, end: root.address + root.size }]));
    // An FDE covers exactly the function's code; a symbol's size is taken where no FDE starts there.
    for (const range of [...fdes, ...sized]) if (range.end > range.start && !this.byEntry.has(range.start)) this.byEntry.set(range.start, range);
    const ranges = [...this.byEntry.values()].sort((a, b) => compare(a.start, b.start));
    this.starts = ranges.map((range) => range.start);
    let end = 0n;
    for (const range of ranges) this.reach.push((end = range.end > end ? range.end : end));
  }

  /** The extent of the function that starts at `entry`, when the image gives one. */
  of(entry: bigint): AddressRange | undefined {
    return this.byEntry.get(entry);
  }

  /** Whether `address` lies inside some function's extent, after its first instruction. */
  inside(address: bigint): boolean {
    // The ranges that start before `address`: the last of them reaches furthest among them.
    const before = firstAbove(this.starts, address - 1n);
    return before > 0 && this.reach[before - 1] > address;
  }
}
