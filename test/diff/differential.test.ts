// Differential test: small static AArch64 Linux programs under qemu-aarch64 (the oracle) and through
// recomp lift + emit (Linux personality) + cc; stdout and exit status must be identical.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { moduleJsonSchema } from "../../src/config/module-json.js";
import { emitProject } from "../../src/emit/index.js";
import { imageFromElf, liftModule } from "../../src/lift/index.js";
import { requireTools } from "../helpers/tools.js";

const programs = join(import.meta.dirname, "programs");
const guestFlags = [
  "-O2", "-static", "-nostdlib", "-ffreestanding", "-mgeneral-regs-only", "-mno-outline-atomics",
  "-fno-stack-protector", "-fno-tree-loop-distribute-patterns",
];

interface Run {
  stdout: string;
  stderr: string;
  exitCode: number;
}

describe.runIf(requireTools("aarch64-linux-gnu-gcc", "qemu-aarch64", "cc", "make"))("lifted code vs qemu-aarch64", () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "recomp-diff-"));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  async function build(name: string): Promise<string> {
    const elf = join(work, name);
    await execa("aarch64-linux-gnu-gcc", [...guestFlags, "-o", elf, join(programs, `${name}.c`)]);
    return elf;
  }

  async function recompile(elf: string, name: string): Promise<{ run: Run; modulePath: string }> {
    const lifted = await liftModule({ image: await imageFromElf(elf), mode: "decode", outDir: join(work, `${name}-lift`) });
    expect(lifted.unsupported).toEqual([]);
    const buildDir = join(work, `${name}-build`);
    const emitted = await emitProject({ moduleJsonPath: lifted.modulePath, outDir: buildDir, personality: "linux" });
    await execa("make", ["-s", "-C", buildDir, "CFLAGS=-O1"]);
    const run = await execa(join(buildDir, emitted.executable), [], { reject: false });
    return { run: { stdout: run.stdout, stderr: run.stderr, exitCode: run.exitCode ?? -1 }, modulePath: lifted.modulePath };
  }

  async function oracle(elf: string): Promise<Run> {
    const run = await execa("qemu-aarch64", [elf], { reject: false });
    return { stdout: run.stdout, stderr: run.stderr, exitCode: run.exitCode ?? -1 };
  }

  it.each([
    ["arith", "flags, carries, multiply-high, division edge cases, shifts, bit operations, extends"],
    ["calls", "recursion, registers across calls, blr, jump tables, tail calls, ldp/stp, ldrsw, prfm, exclusives"],
  ])("%s (%s) prints and exits exactly as under qemu", async (name) => {
    const elf = await build(name);
    const expected = await oracle(elf);
    const { run } = await recompile(elf, name);
    expect(expected.stdout.split("\n").length).toBeGreaterThan(50);
    expect(run.stdout).toBe(expected.stdout);
    expect(run.exitCode).toBe(expected.exitCode);
  });

  it("runs exclusive pairs in sequence as under qemu: loops that succeed, and stores that fail after clrex, elsewhere or an atomic", async () => {
    const elf = await build("exclusive-pairs");
    const expected = await oracle(elf);
    const { run } = await recompile(elf, "exclusive-pairs");
    expect(run.stdout).toBe(expected.stdout);
    expect(run.exitCode).toBe(0);
    // Each loop stored at its first try; the store after clrex, at another address and after ldadd failed.
    const lines = expected.stdout.split("\n");
    expect([lines[0], lines[3], lines[6], lines[8], lines[9], lines[11]].map((line) => BigInt(`0x${line}`))).toEqual([1n, 1n, 0n, 1n, 1n, 1n]);
  });

  it("stops a store into read-only memory with the guest address and the instruction", async () => {
    const elf = await build("fault");
    const expected = await oracle(elf);
    const { run, modulePath } = await recompile(elf, "fault");
    expect(run.stdout).toBe(expected.stdout);
    expect(run.stdout).toBe("before");
    expect(run.exitCode).toBe(3);
    const match = /^fault: write to memory that is not writable: 8 bytes at 0x([0-9a-f]+) \(instruction at 0x([0-9a-f]+)\)$/.exec(run.stderr);
    expect(match).not.toBeNull();
    const [address, pc] = [BigInt(`0x${match?.[1]}`), `0x${match?.[2]}`];
    const module = moduleJsonSchema.parse(JSON.parse(await readFile(modulePath, "utf8")));
    const insn = module.functions.flatMap((fn) => fn.blocks.flatMap((block) => block.ops)).find((op) => "asm" in op && op.pc === pc);
    expect(insn !== undefined && "asm" in insn ? insn.asm : "").toMatch(/^str x\d+, \[x\d+(, #\d+)?\]$/);
    const segment = module.segments.find((s) => address >= BigInt(s.base) && address < BigInt(s.base) + BigInt(s.size));
    expect(segment?.permissions).toEqual({ read: true, write: false, execute: true });
  });
  it("stops a load from unmapped memory in the middle of a hot loop with that address and the load", async () => {
    const elf = await build("fault-loop");
    const expected = await oracle(elf);
    const { run, modulePath } = await recompile(elf, "fault-loop");
    expect(expected.exitCode).not.toBe(0);
    expect(run.stdout).toBe(expected.stdout);
    expect(run.stdout).toBe("before");
    expect(run.exitCode).toBe(3);
    const match = /^fault: read outside guest memory: 8 bytes at 0x6000000000 \(instruction at 0x([0-9a-f]+)\)$/.exec(run.stderr);
    expect(match, run.stderr).not.toBeNull();
    // The faulting instruction is the loop's load, in the function that walks the table.
    const module = moduleJsonSchema.parse(JSON.parse(await readFile(modulePath, "utf8")));
    const walk = module.functions.find((fn) => fn.blocks.some((block) => block.ops.some((op) => "asm" in op && op.pc === `0x${match?.[1]}`)));
    const insn = walk?.blocks.flatMap((block) => block.ops).find((op) => "asm" in op && op.pc === `0x${match?.[1]}`);
    expect(insn !== undefined && "asm" in insn ? insn.asm : "").toMatch(/^ldr x\d+, \[x\d+(, x\d+(, lsl #3)?)?\]$/);
    expect(walk?.blocks.some((block) => block.terminator.op === "br_cond" || block.terminator.op === "br_test")).toBe(true);
  });
});
