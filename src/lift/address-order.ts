// lift: ordering of guest addresses, shared by the searches over sorted address lists.

export function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The first index of the ascending `values` whose value is above `bound` (how many are at most `bound`). */
export function firstAbove(values: readonly bigint[], bound: bigint): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (values[middle] <= bound) low = middle + 1;
    else high = middle;
  }
  return low;
}
