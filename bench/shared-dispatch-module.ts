/**
 * Benchmark input: a synthetic module.json shaped like QuickJS's JS_CallInternal after computed gotos are lifted
 * (issue 10): one function of `table` opcode handlers, each ending in one or two `br` that load the next handler
 * from a dispatch table in memory, every `br` a br_indirect over the same `table` entries (`branches` of them),
 * plus a callee some handlers call. Deterministic (a fixed xorshift sequence). Compile its unit with
 * bench/unit-compile.ts against the emitter of main and of a branch:
 *
 *   npx tsx bench/shared-dispatch-module.ts <folder> [branches=300] [table=234]
 *   npx tsx bench/unit-compile.ts emit <folder>/module.json <sample>   (in each checkout)
 *   npx tsx bench/unit-compile.ts compile <sample-main>::-O1 <sample-branch>::-O1
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { IrBlock, IrFunction, IrOp, IrTerminator, ModuleJson } from "../src/config/module-json.js";
import { moduleJsonText } from "../src/lift/module-json-text.js";

const base = 0x10000;
/** Bytes of guest code per handler: room for its ops and two dispatch blocks. */
const handlerBytes = 0x80;
const calleeEntry = 0x8000;

const hex = (value: number): string => `0x${value.toString(16)}`;
const label = (address: number): string => `b_${address.toString(16)}`;

/** One instruction's ops at `pc`, as the lifter writes them (an insn op first). */
const instruction = (pc: number, asm: string, ...ops: IrOp[]): IrOp[] => [{ op: "insn", pc: hex(pc), word: "0xd503201f", asm }, ...ops];

function* xorshift(seed: number): Generator<number> {
  let state = seed >>> 0;
  for (;;) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    yield state;
  }
}

/** A dispatch block at `at`: next opcode byte from x20 (the bytecode pointer), its handler from the table at x22. */
function dispatchBlock(at: number, table: IrTerminator & { op: "br_indirect" }): IrBlock {
  const ops = [
    ...instruction(at, "ldrb w9, [x20], #1", { op: "load_i8", dst: "x9", addr: "x20", offset: 0 }, { op: "add_i64", dst: "x20", lhs: "x20", rhs: "#0x1" }),
    ...instruction(at + 4, "ldr x10, [x22, x9, lsl #3]", { op: "lsl_i64", dst: "t0", lhs: "x9", rhs: "#0x3" }, { op: "add_i64", dst: "t0", lhs: "t0", rhs: "x22" }, { op: "load_i64", dst: "x10", addr: "t0", offset: 0 }),
  ];
  return { label: label(at), start: hex(at), ops, terminator: table };
}

/** Handler `k`: an operand-stack operation on x21, a call every 8th, and one or two dispatches (a compare picks). */
function handler(k: number, twoExits: boolean, random: Generator<number>, table: IrTerminator & { op: "br_indirect" }): IrBlock[] {
  const at = base + k * handlerBytes;
  const arithmetic = ["add_i64", "sub_i64", "xor_i64", "mul_i64", "and_i64", "or_i64"][random.next().value % 6];
  const ops = [
    ...instruction(at, "ldp x1, x2, [x21]", { op: "load_i64", dst: "x1", addr: "x21", offset: 0 }, { op: "load_i64", dst: "x2", addr: "x21", offset: 8 }),
    ...instruction(at + 4, arithmetic, { op: arithmetic, dst: "x1", lhs: "x1", rhs: "x2" }),
    ...instruction(at + 8, "str x1, [x21, #8]!", { op: "store_i64", src: "x1", addr: "x21", offset: 8 }, { op: "add_i64", dst: "x21", lhs: "x21", rhs: "#0x8" }),
  ];
  if (k % 8 === 0) ops.push(...instruction(at + 12, "bl callee", { op: "call", target: "callee", addr: hex(calleeEntry), ret: hex(at + 16) }));
  const first = at + 0x40;
  const second = at + 0x60;
  const terminator: IrTerminator = twoExits
    ? { op: "br_test", test: "zero", src: "x1", width: 64, then: label(first), else: label(second) }
    : { op: "br", target: label(first) };
  const blocks: IrBlock[] = [{ label: label(at), start: hex(at), ops, terminator }, dispatchBlock(first, table)];
  if (twoExits) blocks.push(dispatchBlock(second, table));
  return blocks;
}

export function sharedDispatchModule(branches: number, tableSize: number): ModuleJson {
  const random = xorshift(0x9e3779b9);
  const table: IrTerminator & { op: "br_indirect" } = {
    op: "br_indirect",
    src: "x10",
    table: Array.from({ length: tableSize }, (_, k) => ({ addr: hex(base + k * handlerBytes), target: label(base + k * handlerBytes) })),
  };
  const entryOps = instruction(base - 0x20, "ldr x22, [x0]", { op: "load_i64", dst: "x22", addr: "x0", offset: 0 });
  const entry: IrBlock = { label: label(base - 0x20), start: hex(base - 0x20), ops: entryOps, terminator: { op: "br", target: label(base - 0x10) } };
  const blocks = [entry, dispatchBlock(base - 0x10, table)];
  // Handlers with two exits first, until the branch count is reached (one dispatch is the entry's).
  const twoExits = branches - 1 - tableSize;
  for (let k = 0; k < tableSize; k++) blocks.push(...handler(k, k < twoExits, random, table));
  const main: IrFunction = { name: "JS_CallInternal_like", entry: hex(base - 0x20), blocks };
  const calleeOps = instruction(calleeEntry, "add x0, x0, x1", { op: "add_i64", dst: "x0", lhs: "x0", rhs: "x1" });
  const callee: IrFunction = { name: "callee", entry: hex(calleeEntry), blocks: [{ label: label(calleeEntry), start: hex(calleeEntry), ops: calleeOps, terminator: { op: "ret", src: "x30" } }] };
  const size = base + tableSize * handlerBytes - calleeEntry;
  const text = { name: "text", base: hex(calleeEntry), size, permissions: { read: true, write: false, execute: true }, init_path: "segments/text.bin", init_size: size, zero_fill: 0 };
  return { arch: "aarch64", ir_version: 2, entry: hex(base - 0x20), segments: [text], functions: [callee, main] };
}

function count(text: string | undefined, fallback: number, name: string, min: number): number {
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < min) {
    process.stderr.write(`shared-dispatch-module: ${name} must be an integer of at least ${min}, not ${JSON.stringify(text)}\n`);
    process.exit(2);
  }
  return value;
}

const [folder, branchesText, tableText] = process.argv.slice(2);
if (folder === undefined) {
  process.stderr.write("usage: shared-dispatch-module.ts <folder> [branches=300] [table=234]\n");
  process.exit(2);
}
const tableSize = count(tableText, 234, "table", 1);
const branches = count(branchesText, 300, "branches", tableSize + 1);
if (branches > 2 * tableSize + 1) {
  process.stderr.write(`shared-dispatch-module: branches must be at most 2 * table + 1 (${2 * tableSize + 1}), not ${branches}\n`);
  process.exit(2);
}
const module = sharedDispatchModule(branches, tableSize);
await mkdir(join(folder, "segments"), { recursive: true });
await writeFile(join(folder, "segments", "text.bin"), new Uint8Array(module.segments[0].init_size));
await writeFile(join(folder, "module.json"), moduleJsonText(module));
process.stdout.write(`${join(folder, "module.json")}: ${branches} br_indirect over one ${tableSize}-entry table\n`);
