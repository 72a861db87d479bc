// lift: the targets of a computed `goto *` (docs/torture.md, "pr70460"): the labels a function takes the
// address of, and the in-function addresses its data objects hold, absolute (`{ &&a, &&b }`) or as signed
// differences from one of those labels (`{ &&a - &&base }`). No value is tracked (at -O0 the address goes
// through the stack): every candidate that lands on an instruction of the function is kept, so a wrong
// one is only an extra block, and an address not in the table still goes to the function-entry dispatch.
import type { Decoded } from "./a64/types.js";
import { compare, firstAbove } from "./address-order.js";
import type { CodeImage } from "./code-image.js";
import type { FunctionExtents } from "./function-extents.js";
import type { AddressRange } from "./module-code.js";

/** The code the search reads. */
export interface LabelCode {
  readonly image: CodeImage;
  decode(at: bigint): Decoded | undefined;
  isCode(address: bigint): boolean;
}

/** Bytes read of one data object when the next object the function names is further away. */
const MAX_OBJECT_BYTES = 8192;

/** The address an `adrp` and an `add` of its register within the next four instructions form. */
export function addressConstant(code: Pick<LabelCode, "decode">, address: bigint): bigint | undefined {
  const page = code.decode(address);
  const constant = page?.supported === true ? page.ops[0] : undefined;
  if (constant === undefined || !("dst" in constant) || !("imm" in constant)) return undefined;
  for (let next = address + 4n; next <= address + 16n; next += 4n) {
    const add = code.decode(next);
    const op = add?.supported === true && add.mnemonic === "add" ? add.ops[0] : undefined;
    if (op === undefined || !("lhs" in op) || op.lhs !== constant.dst || !op.rhs.startsWith("#")) continue;
    return BigInt(constant.imm) + BigInt(op.rhs.slice(1));
  }
  return undefined;
}

const isAdr = (word: number): boolean => (word & 0x9f000000) === 0x10000000;
const isAdrp = (word: number): boolean => (word & 0x9f000000) >>> 0 === 0x90000000;

/** The address the `adr` or `adrp` (+ `add`) word `word` at `at` forms, if it is one. */
function formedAt(code: LabelCode, at: bigint, word: number): bigint | undefined {
  if (isAdrp(word)) return addressConstant(code, at);
  if (!isAdr(word)) return undefined;
  const insn = code.decode(at);
  const op = insn?.supported === true ? insn.ops[0] : undefined;
  return op !== undefined && "imm" in op ? BigInt(op.imm) : undefined;
}

/** Every address the code in `range` forms with `adr` or `adrp` + `add`, in address order. */
function formedAddresses(code: LabelCode, range: AddressRange): bigint[] {
  const found: bigint[] = [];
  const bytes = code.image.readUpTo(range.start, Number(range.end - range.start));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = 0; offset + 4 <= bytes.length; offset += 4) {
    const word = view.getUint32(offset, true);
    const constant = isAdr(word) || isAdrp(word) ? formedAt(code, range.start + BigInt(offset), word) : undefined;
    if (constant !== undefined) found.push(constant);
  }
  return found;
}

/** The page an `adrp` word at `at` forms. */
function adrpPage(word: number, at: bigint): bigint {
  const immediate = (((word >>> 5) & 0x7ffff) << 2) | ((word >>> 29) & 3);
  return (at & ~0xfffn) + (BigInt(immediate << 11 >> 11) << 12n);
}

/**
 * Every label of the module, sorted: an address that some code forms (a nested function may return its
 * parent's `&&label`) and that lies inside a function's extent, after its entry.
 */
export function moduleLabels(code: LabelCode, extents: FunctionExtents): bigint[] {
  const labels = new Set<bigint>();
  const executable = code.image.segments.filter((segment) => segment.permissions.execute);
  const codePages = executable.map((segment) => [segment.base & ~0xfffn, segment.base + BigInt(segment.bytes.length)] as const);
  for (const segment of executable) {
    const view = new DataView(segment.bytes.buffer, segment.bytes.byteOffset, segment.bytes.byteLength);
    for (let offset = 0; offset + 4 <= segment.bytes.length; offset += 4) {
      const word = view.getUint32(offset, true);
      if (!isAdr(word) && !isAdrp(word)) continue;
      const at = segment.base + BigInt(offset);
      // Most adrp name a data page: only a page of code can hold a label.
      if (isAdrp(word) && !codePages.some(([start, end]) => adrpPage(word, at) >= start && adrpPage(word, at) < end)) continue;
      const constant = formedAt(code, at, word);
      if (constant !== undefined && extents.inside(constant)) labels.add(constant);
    }
  }
  return [...labels].sort(compare);
}

/** The byte widths of the signed values the function loads or sign-extends (ldrs{b,h,w}, sxt{b,h,w}). */
function signedWidths(code: LabelCode, extent: AddressRange): Set<number> {
  const widths = new Set<number>();
  const bytes: Record<string, number> = { b: 1, h: 2, w: 4 };
  for (let at = extent.start; at < extent.end; at += 4n) {
    const insn = code.decode(at);
    if (insn?.supported !== true) continue;
    const load = /^ldu?rs([bhw])$/.exec(insn.mnemonic)?.[1];
    if (load !== undefined) widths.add(bytes[load]);
    for (const extend of `${insn.mnemonic} ${insn.operands}`.matchAll(/\bsxt([bhw])\b/g)) widths.add(bytes[extend[1]]);
  }
  return widths;
}

/**
 * The computed-goto targets of the function with code `extent` (entry at its start): its labels among
 * `labelsOfModule` (moduleLabels), and what its data objects hold, read from `data` (the image as loaded,
 * relocations applied); none when no code takes a label's address in it and no data word holds one.
 */
export function labelTargets(code: LabelCode, data: CodeImage, extent: AddressRange, labelsOfModule: readonly bigint[]): bigint[] {
  const inFunction = (address: bigint): boolean => address > extent.start && address < extent.end && code.isCode(address);
  const labels = labelsOfModule.slice(firstAbove(labelsOfModule, extent.start), firstAbove(labelsOfModule, extent.end - 1n)).filter(inFunction);
  const objects = [...new Set(formedAddresses(code, extent).filter((address) => address < extent.start || address >= extent.end))].sort(compare);
  const widths = labels.length === 0 ? [] : [...signedWidths(code, extent)];
  const targets = new Set<bigint>(labels);
  objects.forEach((object, i) => {
    const next = objects[i + 1];
    const size = next === undefined || next - object > BigInt(MAX_OBJECT_BYTES) ? MAX_OBJECT_BYTES : Number(next - object);
    const bytes = data.readUpTo(object, size);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let at = 0; at + 8 <= bytes.length; at += 8) {
      const absolute = view.getBigUint64(at, true);
      if (inFunction(absolute)) targets.add(absolute);
    }
    for (const width of widths) {
      for (let at = 0; at + width <= bytes.length; at += width) {
        const difference = BigInt(width === 4 ? view.getInt32(at, true) : width === 2 ? view.getInt16(at, true) : view.getInt8(at));
        for (const label of labels) if (inFunction(label + difference)) targets.add(label + difference);
      }
    }
  });
  return [...targets].sort(compare);
}
