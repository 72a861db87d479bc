// lift: finding every function of an image and which of them return. Starts from the entry point,
// symbols and every FDE, then follows bl targets, adrp+add constants and code pointers stored in
// (relocated) data. A call returns only if its callee can return and the call is not the last
// instruction of its FDE, so the padding after a call that never returns is never lifted.
import type { FunctionEntry } from "./cfg.js";
import type { CodeImage } from "./code-image.js";
import { compare, isSupported, type Explorer, type FlowContext } from "./explorer.js";
import type { FunctionExtents } from "./function-extents.js";
import { addressConstant } from "./label-tables.js";
import type { AddressRange } from "./module-code.js";
import { WordKind } from "./word-flow.js";

export interface DiscoveryInputs {
  roots: readonly FunctionEntry[];
  fdes: readonly AddressRange[];
  /** The image as the loader leaves it (relocations applied): where code pointers in data are read. */
  data: CodeImage;
  /** Where functions end: an address inside one is a label of it, not another function's entry. */
  extents: FunctionExtents;
}

const defaultName = (address: bigint): string => `fn_${address.toString(16)}`;

/** What one pass over a function's reached instructions found. */
interface Scan {
  callees: bigint[];
  constants: bigint[];
  /** Some path leaves the function normally (ret, a returning tail call, or flow recomp cannot follow). */
  returns: boolean;
  /** Callees whose return would let this function reach more code. */
  waitsOn: bigint[];
}

/** Function entries (address -> name) and the final flow context to build their CFGs with. */
export function discoverFunctions(explorer: Explorer, inputs: DiscoveryInputs): FlowContext {
  const entries = new Map<bigint, string>();
  const returning = new Set<bigint>();
  // As numbers: an instruction's address is exact, so an end equal to one is too.
  const fdeEnds = new Set(inputs.fdes.map((fde) => Number(fde.end)));
  const context: FlowContext = {
    entries,
    returns: (at) => !fdeEnds.has(at + 4) && returning.has(explorer.targetOf(at)),
  };
  const queue: bigint[] = [];
  const queued = new Set<bigint>();
  const enqueue = (address: bigint): void => {
    if (queued.has(address)) return;
    queued.add(address);
    queue.push(address);
  };
  const add = (address: bigint, name = defaultName(address)): void => {
    if (entries.has(address)) return;
    entries.set(address, name);
    enqueue(address);
  };
  for (const root of inputs.roots) add(root.address, root.name);
  for (const fde of inputs.fdes) add(fde.start);
  // Constants and data words only look like code pointers: take one when all it reaches decodes and
  // it is not inside a known function (a computed-goto label: label-tables.ts).
  const addGuess = (address: bigint): void => {
    if (entries.has(address) || inputs.extents.inside(address)) return;
    if (explorer.isCode(address) && decodesThroughout(explorer, address, context)) add(address);
  };
  for (const pointer of dataPointers(explorer, inputs.data)) addGuess(pointer);
  const waiters = new Map<bigint, Set<bigint>>();
  for (let next = 0; next < queue.length; next++) {
    const entry = queue[next];
    queued.delete(entry);
    const scan = scanFunction(explorer, entry, context, returning);
    for (const callee of scan.callees) add(callee);
    for (const constant of scan.constants) addGuess(constant);
    for (const callee of scan.waitsOn) {
      const set = waiters.get(callee) ?? new Set<bigint>();
      waiters.set(callee, set.add(entry));
    }
    if (scan.returns && !returning.has(entry)) {
      returning.add(entry);
      for (const waiter of waiters.get(entry) ?? []) enqueue(waiter);
    }
  }
  return context;
}

function scanFunction(explorer: Explorer, entry: bigint, context: FlowContext, returning: ReadonlySet<bigint>): Scan {
  const scan: Scan = { callees: [], constants: [], returns: false, waitsOn: [] };
  // The reached set's order is the search's, deterministic: no sort needed.
  for (const at of explorer.reach(entry, context)) {
    const kind = explorer.kindAt(at);
    // Code recomp cannot follow (no bytes, an instruction it does not decode) may return.
    if (!isSupported(kind)) {
      scan.returns = true;
    } else if (kind === WordKind.call) {
      const target = explorer.targetOf(at);
      scan.callees.push(target);
      if (!context.returns(at)) scan.waitsOn.push(target);
    // A br that is no switch may leave the function (an indirect tail call: its table's fallback).
    } else if (kind === WordKind.ret || (kind === WordKind.jumpIndirect && explorer.switchTable(BigInt(at)).length === 0)) {
      scan.returns = true;
    } else if (kind === WordKind.jump) {
      scanJump(explorer.targetOf(at), entry, context, returning, scan);
    } else if (kind === WordKind.adrp) {
      const constant = addressConstant(explorer, BigInt(at));
      if (constant !== undefined) scan.constants.push(constant);
    }
  }
  return scan;
}

/** A jump to another function's entry returns if that function does (a tail call). */
function scanJump(target: bigint, entry: bigint, context: FlowContext, returning: ReadonlySet<bigint>, scan: Scan): void {
  if (target === entry || !context.entries.has(target)) return;
  if (returning.has(target)) scan.returns = true;
  else scan.waitsOn.push(target);
}

/**
 * True when every instruction reached from `entry` decodes. A string or table in an executable segment
 * that an adrp+add or a data word points at soon reaches a word that is no instruction; real code does not.
 */
function decodesThroughout(explorer: Explorer, entry: bigint, context: FlowContext): boolean {
  for (const at of explorer.reach(entry, context)) if (!isSupported(explorer.kindAt(at))) return false;
  return true;
}

/** Aligned 64-bit words in non-executable segments whose value is the address of decodable code. */
function dataPointers(explorer: Explorer, data: CodeImage): bigint[] {
  const found = new Set<bigint>();
  for (const segment of data.segments) {
    if (segment.permissions.execute) continue;
    const view = new DataView(segment.bytes.buffer, segment.bytes.byteOffset, segment.bytes.byteLength);
    for (let offset = 0; offset + 8 <= segment.bytes.length; offset += 8) {
      const value = view.getBigUint64(offset, true);
      if (explorer.isCode(value)) found.add(value);
    }
  }
  return [...found].sort(compare);
}
