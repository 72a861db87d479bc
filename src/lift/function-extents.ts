// lift: where each function's code ends, as the image says it (FDE ranges, symbol sizes): the addresses
// strictly inside a function are its labels (computed-goto targets), never other functions' entries.
import type { FunctionEntry } from "./cfg.js";
import type { AddressRange } from "./module-code.js";

export class FunctionExtents {
  /** Every known range, by start; `reach[i]`: the largest end among ranges 0..i. */
  private readonly ranges: AddressRange[];
  private readonly reach: bigint[] = [];
  private readonly byEntry = new Map<bigint, AddressRange>();

  constructor(fdes: readonly AddressRange[], roots: readonly FunctionEntry[]) {
    const sized = roots.flatMap((root) => (root.size === undefined || root.size === 0n ? [] : [{ start: root.address, end: root.address + root.size }]));
    // An FDE covers exactly the function's code; a symbol's size is taken where no FDE starts there.
    for (const range of [...fdes, ...sized]) if (range.end > range.start && !this.byEntry.has(range.start)) this.byEntry.set(range.start, range);
    this.ranges = [...this.byEntry.values()].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    let end = 0n;
    for (const range of this.ranges) this.reach.push((end = range.end > end ? range.end : end));
  }

  /** The extent of the function that starts at `entry`, when the image gives one. */
  of(entry: bigint): AddressRange | undefined {
    return this.byEntry.get(entry);
  }

  /** Whether `address` lies inside some function's extent, after its first instruction. */
  inside(address: bigint): boolean {
    let low = 0;
    let high = this.ranges.length;
    // The last range that starts before `address`.
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.ranges[middle]).start < address) low = middle + 1;
      else high = middle;
    }
    return low > 0 && (this.reach[low - 1]) > address;
  }
}
