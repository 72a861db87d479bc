// The A64 decoder against GNU objdump: hand-picked forms, random words of every class, and GCC -O2 output.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeA64, formatInsn } from "../../src/lift/index.js";
import { requireTools } from "../helpers/tools.js";
import { classes } from "./a64-classes.js";
import { normaliseObjdump, objdumpWords } from "./objdump.js";

const here = import.meta.dirname;

const perClass = 120;
const base = 0x7100000000n;

function ours(word: number, address: bigint): string | undefined {
  return formatInsn(decodeA64(word, address));
}

describe.runIf(requireTools("aarch64-linux-gnu-objdump", "aarch64-linux-gnu-as", "aarch64-linux-gnu-gcc"))(
  "A64 decoder vs objdump",
  () => {
    it("prints random words of every class exactly as objdump, and rejects what objdump rejects", async () => {
      const words: number[] = [];
      const owners: string[] = [];
      let seed = 5;
      for (const [name, [mask, value]] of Object.entries(classes)) {
        const random = fc.sample(fc.integer({ min: 0, max: 0xffffffff }), { seed: seed++, numRuns: perClass });
        for (const r of random) {
          words.push(((r & ~mask) | value) >>> 0);
          owners.push(name);
        }
      }
      const reference = await objdumpWords(words, base);
      const mismatches: string[] = [];
      const supported = new Map<string, number>();
      words.forEach((word, i) => {
        const text = ours(word, base + BigInt(i * 4));
        const owner = owners[i];
        if (text === undefined) return;
        supported.set(owner, (supported.get(owner) ?? 0) + 1);
        if (text !== reference[i]) mismatches.push(`${owner} ${word.toString(16)}: ours "${text}" objdump "${reference[i]}"`);
      });
      expect(mismatches).toEqual([]);
      // Every class really is decoded (not silently all-unsupported).
      for (const name of Object.keys(classes)) expect(supported.get(name) ?? 0, name).toBeGreaterThan(perClass / 10);
    });

    it("decodes every hand-picked form and prints it as objdump does", async () => {
      const dir = await mkdtemp(join(tmpdir(), "recomp-snippets-"));
      try {
        const object = join(dir, "snippets.o");
        await execa("aarch64-linux-gnu-as", ["-o", object, join(here, "snippets.s")]);
        const lines = await disassembleObject(object);
        const literalAt = lines.findIndex((line) => line.word === 0x55667788);
        const code = lines.slice(0, literalAt);
        expect(code.length).toBe(168);
        expect(disagreements(code).problems).toEqual([]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it("decodes all of GCC -O2 output for integer C code and prints it as objdump does", async () => {
      const dir = await mkdtemp(join(tmpdir(), "recomp-gcc-"));
      try {
        const object = join(dir, "sample.o");
        await execa("aarch64-linux-gnu-gcc", [
          "-O2", "-mgeneral-regs-only", "-fno-stack-protector", "-c", "-o", object, join(here, "..", "diff", "programs", "arith.c"),
        ]);
        const lines = await disassembleObject(object);
        expect(lines.length).toBeGreaterThan(100);
        expect(disagreements(lines).problems).toEqual([]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it("decodes GCC -O3 vectorised integer code and prints it as objdump does", async () => {
      const dir = await mkdtemp(join(tmpdir(), "recomp-gcc-simd-"));
      try {
        const object = join(dir, "simd-integer.o");
        await execa("aarch64-linux-gnu-gcc", [
          "-O3", "-march=armv8-a+crc+crypto", "-fno-stack-protector", "-c", "-o", object, join(here, "simd-integer.c"),
        ]);
        const lines = await disassembleObject(object);
        const { problems, rejected } = disagreements(lines, { allowRejected: true });
        expect(problems).toEqual([]);
        // What is left belongs to the FP and structure load/store groups, decoded by their own tables.
        const otherGroups = new Set(["fmov", "ld1r", "st2"]);
        expect([...rejected].filter((mnemonic) => !otherGroups.has(mnemonic))).toEqual([]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  },
);

/**
 * Where our text differs from objdump's. A word we reject is a problem unless `allowRejected`, in
 * which case its objdump mnemonic is collected (other groups' tables decode those).
 */
function disagreements(lines: readonly Line[], options = { allowRejected: false }): { problems: string[]; rejected: Set<string> } {
  const problems: string[] = [];
  const rejected = new Set<string>();
  for (const { address, word, text } of lines) {
    const mine = ours(word, address);
    if (mine === undefined && options.allowRejected) rejected.add(text?.split(" ")[0] ?? "");
    else if (mine !== text) problems.push(`${word.toString(16)}: ours "${mine}" objdump "${text}"`);
  }
  return { problems, rejected };
}

interface Line {
  address: bigint;
  word: number;
  text: string | undefined;
}

async function disassembleObject(object: string): Promise<Line[]> {
  const { stdout } = await execa("aarch64-linux-gnu-objdump", ["-d", "-j", ".text", object]);
  const lines: Line[] = [];
  for (const line of stdout.split("\n")) {
    const match = /^\s*([0-9a-f]+):\t([0-9a-f]{8})\s*\t?(.*)$/.exec(line);
    if (match === null) continue;
    lines.push({
      address: BigInt(`0x${match[1]}`),
      word: parseInt(match[2], 16),
      text: normaliseObjdump(match[3]),
    });
  }
  return lines;
}

describe("A64 decoder semantics the prior art got wrong", () => {
  it("lifts stp with pre-index and ldp with post-index, writing back the base", () => {
    const stp = decodeA64(0xa9bd7bfd, 0n); // stp x29, x30, [sp, #-48]!
    expect(stp.supported && stp.ops).toEqual([
      { op: "add_i64", dst: "t0", lhs: "sp", rhs: "#0xffffffffffffffd0" },
      { op: "store_i64", src: "x29", addr: "t0", offset: 0 },
      { op: "store_i64", src: "x30", addr: "t0", offset: 8 },
      { op: "mov_i64", dst: "sp", src: "t0" },
    ]);
    const ldp = decodeA64(0xa8c37bfd, 0n); // ldp x29, x30, [sp], #48
    expect(ldp.supported && ldp.ops).toEqual([
      { op: "mov_i64", dst: "t0", src: "sp" },
      { op: "load_i64", dst: "x29", addr: "t0", offset: 0 },
      { op: "load_i64", dst: "x30", addr: "t0", offset: 8 },
      { op: "add_i64", dst: "sp", lhs: "t0", rhs: "#0x30" },
    ]);
  });

  it("decodes ldrsw as a sign-extending load and prfm as a prefetch (never a store)", () => {
    const ldrsw = decodeA64(0xb9800420, 0n); // ldrsw x0, [x1, #4]
    expect(ldrsw.supported && ldrsw.ops).toEqual([{ op: "load_s32_i64", dst: "x0", addr: "x1", offset: 4 }]);
    const prfm = decodeA64(0xf9800000, 0n); // prfm pldl1keep, [x0]
    expect(prfm.supported && prfm.ops).toEqual([{ op: "prefetch", addr: "x0", offset: 0 }]);
  });

  it("keeps sp and xzr apart", () => {
    const addSp = decodeA64(0x910003e0, 0n); // mov x0, sp (add x0, sp, #0)
    expect(addSp.supported && addSp.ops).toEqual([{ op: "add_i64", dst: "x0", lhs: "sp", rhs: "#0x0" }]);
    const orrZr = decodeA64(0xaa1f03e0, 0n); // mov x0, xzr (orr x0, xzr, xzr)
    expect(orrZr.supported && orrZr.ops).toEqual([{ op: "or_i64", dst: "x0", lhs: "xzr", rhs: "xzr" }]);
  });

  it("reports an unsupported word with its address and encoding", () => {
    const fp = decodeA64(0x1ee02820, 0x1000n); // fadd h0, h1, h0: half-precision arithmetic is FEAT_FP16, not ARMv8.0
    expect(fp).toEqual({
      supported: false,
      address: 0x1000n,
      word: 0x1ee02820,
      reason: "unsupported instruction 0x1ee02820 at 0x1000",
    });
  });
});
