// media: natural sort of file names ("frame2.png" before "frame10.png"), independent of locale.

function chunks(name: string): string[] {
  return name.match(/\d+|\D+/g) ?? [];
}

function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, "");
  const y = b.replace(/^0+(?=\d)/, "");
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

export function naturalCompare(a: string, b: string): number {
  const left = chunks(a);
  const right = chunks(b);
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    const x = left[i];
    const y = right[i];
    const bothDigits = /^\d/.test(x) && /^\d/.test(y);
    const order = bothDigits ? compareDigits(x, y) : x < y ? -1 : x > y ? 1 : 0;
    if (order !== 0) return order;
  }
  if (left.length !== right.length) return left.length - right.length;
  // Equal up to leading zeros ("01" vs "1"): fall back to code-unit order so the sort is total.
  return a < b ? -1 : a > b ? 1 : 0;
}
