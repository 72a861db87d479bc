// Shared dispatch blocks (src/emit/shared-dispatch.ts): the br_indirect of one function that share a jump table
// go through one switch, built and run against a model of the same little interpreter.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import type { IrBlock, IrFunction, IrOp, IrTerminator, ModuleJson } from "../../src/config/module-json.js";
import { emitProject } from "../../src/emit/index.js";
import { moduleJsonText } from "../../src/lift/module-json-text.js";
import { readGuestSource } from "../helpers/guest-source.js";
import { requireTools } from "../helpers/tools.js";

const hex = (value: number): string => `0x${value.toString(16)}`;
const insn = (pc: number, asm: string): IrOp => ({ op: "insn", pc: hex(pc), word: "0xd503201f", asm });
const constant = (dst: string, value: number): IrOp => ({ op: "const_i64", dst, imm: hex(value) });
const binary = (op: string, dst: string, lhs: string, rhs: string): IrOp => ({ op, dst, lhs, rhs });
const block = (start: number, ops: IrOp[], terminator: IrTerminator): IrBlock => ({ label: `b_${start.toString(16)}`, start: hex(start), ops, terminator });
const table = (addresses: number[]): { addr: string; target: string }[] => addresses.map((a) => ({ addr: hex(a), target: `b_${a.toString(16)}` }));

/** The handlers' addresses (table T, shared by the entry's branch and each handler's), what each does to x0. */
const handlers = [0x1100, 0x1110, 0x1120, 0x1130];
const handlerOps: ((x0: bigint) => bigint)[] = [(x) => x + 1n, (x) => x + 3n, (x) => x * 3n, (x) => x ^ 0x2an];
const handlerIr = ["add_i64:#0x1", "add_i64:#0x3", "mul_i64:#0x3", "xor_i64:#0x2a"].map((text) => text.split(":") as [string, string]);
const sumFn = 0x2000;
const notAFunction = 0x2004;
/** The instruction of the entry block's br (its last insn). */
const entryBr = 0x1020;

/**
 * main: x0 = 0, x2 = 10, calls f_3000 (x5 = 77), then `br x9` over T to handler 0 (argc 2: to f_2000, a lifted
 * function, through the fallback; argc 4: to an address that is none). Each handler sets x5 = x2, changes x0,
 * counts x2 down and at 0 goes to the end, else dispatches on x0 & 3 over T; handler 1 with argc 3 goes to
 * f_2000. The end `br x10` over its own table U returns x0 + 100 or + 200. f_2000 returns x0 + x5 + x2. x5 is
 * dirty at the handlers' branches; at the entry's it is clean, the callee's 77 in the CPU state, and read by
 * nothing in main (every target writes it first): the shared fallback stores it for every branch, so its local
 * must hold that 77 there.
 */
function mainFunction(): IrFunction {
  const entry = block(0x1000, [
    insn(0x1000, "ldr x20, [sp]"), { op: "load_i64", dst: "x20", addr: "sp", offset: 0 },
    insn(0x1004, "mov x19, x30"), { op: "mov_i64", dst: "x19", src: "x30" },
    insn(0x1008, "mov x0, #0"), constant("x0", 0), constant("x2", 10),
    insn(0x100c, "bl 0x3000"), { op: "call", target: "fn_3000", addr: "0x3000", ret: "0x1010" },
    insn(0x1010, "mov x9, #0x1100"), constant("x9", handlers[0]), constant("x23", sumFn), constant("x24", notAFunction),
    insn(0x1014, "cmp x20, #2"), { op: "cmp_i64", lhs: "x20", rhs: "#0x2" },
    insn(0x1018, "csel x9, x23, x9, eq"), { op: "csel_i64", dst: "x9", cond: "eq", lhs: "x23", rhs: "x9" },
    insn(0x101c, "cmp x20, #4"), { op: "cmp_i64", lhs: "x20", rhs: "#0x4" },
    insn(0x1020, "csel x9, x24, x9, eq"), { op: "csel_i64", dst: "x9", cond: "eq", lhs: "x24", rhs: "x9" },
  ], { op: "br_indirect", src: "x9", table: table(handlers) });
  const blocks = [entry];
  handlers.forEach((at, k) => {
    const [op, rhs] = handlerIr[k];
    const scratch = { op: "mov_i64", dst: "x5", src: "x2" } as IrOp;
    blocks.push(block(at, [insn(at, op), scratch, binary(op, "x0", "x0", rhs), insn(at + 4, "sub x2, x2, #1"), binary("sub_i64", "x2", "x2", "#0x1")], {
      op: "br_test", test: "zero", src: "x2", width: 64, then: "b_1200", else: `b_${(at + 8).toString(16)}`,
    }));
    const select = k === 1 ? [{ op: "cmp_i64", lhs: "x20", rhs: "#0x3" } as IrOp, { op: "csel_i64", dst: "x9", cond: "eq", lhs: "x23", rhs: "x9" } as IrOp] : [];
    const next = [binary("and_i64", "x9", "x0", "#0x3"), binary("lsl_i64", "x9", "x9", "#0x4"), binary("add_i64", "x9", "x9", `#${hex(handlers[0])}`), ...select];
    blocks.push(block(at + 8, [insn(at + 8, "dispatch"), ...next], { op: "br_indirect", src: "x9", table: table(handlers) }));
  });
  const ends = [0x1300, 0x1310];
  const pick = [binary("and_i64", "x10", "x0", "#0x1"), binary("lsl_i64", "x10", "x10", "#0x4"), binary("add_i64", "x10", "x10", "#0x1300")];
  blocks.push(block(0x1200, [insn(0x1200, "end"), ...pick], { op: "br_indirect", src: "x10", table: table(ends) }));
  ends.forEach((at, k) => {
    const ops = [insn(at, "add x0, x0, #n"), binary("add_i64", "x0", "x0", `#${hex(100 * (k + 1))}`), { op: "mov_i64", dst: "x30", src: "x19" } as IrOp];
    blocks.push(block(at, ops, { op: "ret", src: "x30" }));
  });
  return { name: "main", entry: "0x1000", blocks };
}

const leaf = (entry: number, ops: IrOp[]): IrFunction => ({ name: `fn_${entry.toString(16)}`, entry: hex(entry), blocks: [block(entry, [insn(entry, "leaf"), ...ops], { op: "ret", src: "x30" })] });

function module(): ModuleJson {
  const text = { name: "text", base: "0x1000", size: 0x3000, permissions: { read: true, write: false, execute: true }, init_path: "segments/text.bin", init_size: 0x3000, zero_fill: 0 };
  const sum = leaf(sumFn, [binary("add_i64", "x0", "x0", "x5"), binary("add_i64", "x0", "x0", "x2")]);
  return { arch: "aarch64", ir_version: 2, entry: "0x1000", segments: [text], functions: [mainFunction(), sum, leaf(0x3000, [constant("x5", 77)])] };
}

/** The same program in TypeScript: exit status (x0's low byte) or the fault. */
function model(argc: number): { exitCode: number; stderr: string } {
  let [x0, x2, x5] = [0n, 10n, 77n];
  let target = argc === 2 ? sumFn : argc === 4 ? notAFunction : handlers[0];
  let pc = entryBr;
  for (;;) {
    if (target === sumFn) return { exitCode: Number((x0 + x5 + x2) & 0xffn), stderr: "" };
    const k = handlers.indexOf(target);
    if (k < 0) return { exitCode: 3, stderr: `fault: indirect branch to ${hex(target)}, which is not a lifted function (instruction at ${hex(pc)})` };
    x5 = x2;
    x0 = BigInt.asUintN(64, handlerOps[k](x0));
    x2 -= 1n;
    if (x2 === 0n) return { exitCode: Number((x0 + ((x0 & 1n) === 0n ? 100n : 200n)) & 0xffn), stderr: "" };
    target = handlers[0] + Number(x0 & 3n) * 16;
    if (k === 1 && argc === 3) target = sumFn;
    pc = handlers[k] + 8;
  }
}

describe.runIf(requireTools("cc", "make"))("shared dispatch blocks", () => {
  it("give branches over one table a single switch that goes where each branch would, fallback included", async () => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-shared-dispatch-"));
    try {
      await mkdir(join(dir, "lift", "segments"), { recursive: true });
      await writeFile(join(dir, "lift", "segments", "text.bin"), new Uint8Array(0x3000));
      await writeFile(join(dir, "lift", "module.json"), moduleJsonText(module()));
      const emitted = await emitProject({ moduleJsonPath: join(dir, "lift", "module.json"), outDir: join(dir, "build"), personality: "linux" });
      const guest = await readGuestSource(join(dir, "build"));
      // T's switch once for its five branches, U's (used once) in its own branch.
      expect(guest.match(/switch \(/g)).toHaveLength(2);
      expect(guest.match(/goto dispatch_0;/g)).toHaveLength(5);
      expect(guest).toContain("switch ((x10 - UINT64_C(0x1300)) >> 2)");
      expect(guest).toContain("switch ((dispatch_target - UINT64_C(0x1100)) >> 2)");
      await execa("make", ["-s", "-C", join(dir, "build"), "CFLAGS=-O1"]);
      const results = [];
      for (const argc of [1, 2, 3, 4]) {
        const run = await execa(join(dir, "build", emitted.executable), ["a", "b", "c"].slice(0, argc - 1), { reject: false });
        results.push({ argc, exitCode: run.exitCode, stderr: run.stderr });
      }
      expect(results).toEqual([1, 2, 3, 4].map((argc) => ({ argc, ...model(argc) })));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
