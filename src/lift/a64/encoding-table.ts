// lift/a64: instruction encodings as data (as Dynarmic's a64.inc): a bit pattern per encoding, matched by a bucketed table.
import type { InsnBody, Word } from "./types.js";

/** Field values by letter: each letter's bits in the pattern, gathered from most to least significant. */
export type Fields = Readonly<Record<string, number>>;

/**
 * One encoding. `pattern` has 32 characters, bit 31 first: '0' and '1' must match, '-' is ignored, and a
 * letter names a field (e.g. "0Q001110zz1mmmmm100001nnnnnddddd"). `decode` returns undefined for an
 * unallocated or reserved combination of field values; the table then tries the next matching encoding.
 */
export interface Encoding {
  /** The architecture's name of the encoding, e.g. "ADD (vector)". */
  name: string;
  pattern: string;
  decode: (fields: Fields, input: Word) => InsnBody | undefined;
}

interface Compiled {
  encoding: Encoding;
  mask: number;
  value: number;
  fixedBits: number;
  /** Per letter: the bit positions, most significant first. */
  fields: [string, number[]][];
}

function compile(encoding: Encoding): Compiled {
  const { pattern } = encoding;
  if (pattern.length !== 32) throw new Error(`encoding ${encoding.name}: pattern must have 32 characters, has ${pattern.length}`);
  let mask = 0;
  let value = 0;
  const positions = new Map<string, number[]>();
  for (let i = 0; i < 32; i++) {
    const at = 31 - i;
    const c = pattern[i];
    if (c === "0" || c === "1") {
      mask |= 1 << at;
      if (c === "1") value |= 1 << at;
    } else if (/[A-Za-z]/.test(c)) {
      positions.set(c, [...(positions.get(c) ?? []), at]);
    } else if (c !== "-") {
      throw new Error(`encoding ${encoding.name}: bad pattern character "${c}"`);
    }
  }
  const fixedBits = [...Array(32).keys()].filter((b) => (mask >>> b) & 1).length;
  return { encoding, mask: mask >>> 0, value: value >>> 0, fixedBits, fields: [...positions] };
}

function extract(word: number, fields: [string, number[]][]): Fields {
  const out: Record<string, number> = {};
  for (const [letter, bits] of fields) {
    let v = 0;
    for (const at of bits) v = v * 2 + ((word >>> at) & 1);
    out[letter] = v;
  }
  return out;
}

/** Bits of the word that select a bucket: 31..21, where most groups' fixed opcode bits are. */
const bucketShift = 21;
const bucketCount = 1 << (32 - bucketShift);

/**
 * A decoder over `encodings`: the candidates whose fixed bits match, most fixed bits first (table order
 * among equals), each tried until one decodes. Bucketing on the top bits keeps a lookup to a few candidates.
 */
export function decoderOf(encodings: readonly Encoding[]): (input: Word) => InsnBody | undefined {
  const compiled = encodings.map(compile).map((c, order) => ({ ...c, order }));
  compiled.sort((a, b) => b.fixedBits - a.fixedBits || a.order - b.order);
  const buckets: Compiled[][] = Array.from({ length: bucketCount }, () => []);
  for (let top = 0; top < bucketCount; top++) {
    const bits = (top << bucketShift) >>> 0;
    const topMask = (~0 << bucketShift) >>> 0;
    for (const c of compiled) if (((bits ^ c.value) & c.mask & topMask) === 0) buckets[top]?.push(c);
  }
  return (input) => {
    for (const c of buckets[input.word >>> bucketShift]) {
      if (((input.word ^ c.value) & c.mask) !== 0) continue;
      const decoded = c.encoding.decode(extract(input.word, c.fields), input);
      if (decoded !== undefined) return decoded;
    }
    return undefined;
  };
}
