// lift: the targets of a computed `goto *` (docs/torture.md, "pr70460"): the labels a function takes the
// address of, and the in-function addresses its data objects hold, absolute (`{ &&a, &&b }`) or as signed
// differences from one of those labels (`{ &&a - &&base }`). No value is tracked (at -O0 the address goes
// through the stack): every candidate that lands on an instruction of the function is kept, so a wrong
// one is only an extra block, and an address not in the table still goes to the function-entry dispatch.
import type { Decoded } from "./a64/types.js";
import type { CodeImage } from "./code-image.js";
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

/** Every address the function's code forms with `adr` or `adrp` + `add`, in address order. */
function formedAddresses(code: LabelCode, extent: AddressRange): bigint[] {
  const found: bigint[] = [];
  for (let at = extent.start; at < extent.end; at += 4n) {
    const word = code.image.word(at);
    if (word === undefined) continue;
    const constant = isAdrp(word) ? addressConstant(code, at) : isAdr(word) ? adrTarget(code.decode(at)) : undefined;
    if (constant !== undefined) found.push(constant);
  }
  return found;
}

function adrTarget(insn: Decoded | undefined): bigint | undefined {
  const op = insn?.supported === true ? insn.ops[0] : undefined;
  return op !== undefined && "imm" in op ? BigInt(op.imm) : undefined;
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
 * The computed-goto targets of the function with code `extent` (entry at its start), read from `data`
 * (the image as loaded, relocations applied); none when it takes no label's address and no data word
 * holds one.
 */
export function labelTargets(code: LabelCode, data: CodeImage, extent: AddressRange): bigint[] {
  const inFunction = (address: bigint): boolean => address > extent.start && address < extent.end && code.isCode(address);
  const formed = formedAddresses(code, extent);
  const labels = [...new Set(formed.filter(inFunction))];
  const objects = [...new Set(formed.filter((address) => address < extent.start || address >= extent.end))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
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
  return [...targets].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
