// Instruction semantics against qemu-aarch64: random words of every data-processing class (registers
// x0..x7), each run once on random register values and random flags; all registers and NZCV after
// each instruction must equal qemu's. One program holds every case (one build, one qemu run).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emitProject } from "../../src/emit/index.js";
import { decodeA64, formatInsn, imageFromElf, liftModule } from "../../src/lift/index.js";
import { requireTools } from "../helpers/tools.js";
import { classes } from "../lift/a64-classes.js";

/** The register fields (low bit positions) of each class, forced to x0..x7 so the harness keeps its own. */
const registerFields: Record<string, number[]> = {
  "add/sub immediate": [0, 5],
  "logical immediate": [0, 5],
  "move wide": [0],
  bitfield: [0, 5],
  extract: [0, 5, 16],
  "logical shifted": [0, 5, 16],
  "add/sub shifted": [0, 5, 16],
  "add/sub extended": [0, 5, 16],
  "adc/sbc": [0, 5, 16],
  "ccmp/ccmn": [5, 16],
  "conditional select": [0, 5, 16],
  "two source": [0, 5, 16],
  "one source": [0, 5],
  "three source": [0, 5, 10, 16],
};
const perClass = 30;
const valuesPerCase = 10; // x0..x7, then the two operands of the cmp that sets the flags
const outputsPerCase = 12; // x0..x7, then N, Z, C, V

interface Case {
  owner: string;
  word: number;
  values: bigint[];
}

function makeCases(): Case[] {
  const cases: Case[] = [];
  const interesting = fc.constantFrom(0n, 1n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x7fffffffffffffffn, 0x8000000000000000n, (1n << 64n) - 1n);
  const value = fc.oneof(interesting, fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }));
  let seed = 100;
  for (const [owner, fields] of Object.entries(registerFields)) {
    const [mask, fixed] = classes[owner];
    const samples = fc.sample(
      fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 4, maxLength: 4 }), fc.array(value, { minLength: valuesPerCase, maxLength: valuesPerCase }), fc.boolean()),
      { seed: seed++, numRuns: perClass * 16 },
    );
    let taken = 0;
    for (const [random, registers, values, equalFlags] of samples) {
      let word = ((random & ~mask) | fixed) >>> 0;
      fields.forEach((at, i) => (word = ((word & ~(31 << at)) | ((registers[i]) << at)) >>> 0));
      if (formatInsn(decodeA64(word, 0n)) === undefined || taken === perClass) continue;
      if (equalFlags) values[9] = values[8];
      cases.push({ owner, word, values });
      taken++;
    }
  }
  return cases;
}

function program(cases: readonly Case[]): string {
  const body = cases.flatMap((c) => [
    "  ldp x0, x1, [x20], #16", "  ldp x2, x3, [x20], #16", "  ldp x4, x5, [x20], #16", "  ldp x6, x7, [x20], #16",
    "  ldp x8, x9, [x20], #16", "  cmp x8, x9",
    `  .inst 0x${c.word.toString(16).padStart(8, "0")}`,
    "  stp x0, x1, [x21], #16", "  stp x2, x3, [x21], #16", "  stp x4, x5, [x21], #16", "  stp x6, x7, [x21], #16",
    "  cset x8, mi", "  cset x9, eq", "  stp x8, x9, [x21], #16", "  cset x8, cs", "  cset x9, vs", "  stp x8, x9, [x21], #16",
  ]);
  const size = cases.length * outputsPerCase * 8;
  return [
    "  .text", "  .globl _start", "_start:",
    "  adrp x20, inputs", "  add x20, x20, :lo12:inputs", "  adrp x21, outputs", "  add x21, x21, :lo12:outputs",
    ...body,
    "  mov x0, #1", "  adrp x1, outputs", "  add x1, x1, :lo12:outputs", "  ldr x2, =" + size, "  mov x8, #64", "  svc #0",
    "  mov x0, #0", "  mov x8, #93", "  svc #0", "1:", "  b 1b",
    "  .ltorg",
    "  .data", "  .balign 16", "inputs:",
    ...cases.flatMap((c) => c.values.map((v) => `  .quad 0x${v.toString(16)}`)),
    "  .bss", "  .balign 16", "outputs:", `  .space ${size}`,
    "",
  ].join("\n");
}

describe.runIf(requireTools("aarch64-linux-gnu-gcc", "qemu-aarch64", "cc", "make"))("random instructions vs qemu-aarch64", () => {
  it("leaves every register and flag as qemu does", async () => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-random-insn-"));
    try {
      const cases = makeCases();
      expect(cases.length).toBe(Object.keys(registerFields).length * perClass);
      await writeFile(join(dir, "cases.S"), program(cases));
      const elf = join(dir, "cases");
      await execa("aarch64-linux-gnu-gcc", ["-nostdlib", "-static", "-o", elf, join(dir, "cases.S")]);
      const expected = Buffer.from((await execa("qemu-aarch64", [elf], { encoding: "buffer" })).stdout);
      const lifted = await liftModule({ image: await imageFromElf(elf), mode: "decode", outDir: join(dir, "lift") });
      expect(lifted.unsupported).toEqual([]);
      const build = join(dir, "build");
      const emitted = await emitProject({ moduleJsonPath: lifted.modulePath, outDir: build, personality: "linux" });
      await execa("make", ["-s", "-C", build, "CFLAGS=-O0"]);
      const actual = Buffer.from((await execa(join(build, emitted.executable), [], { encoding: "buffer" })).stdout);
      expect(expected.length).toBe(cases.length * outputsPerCase * 8);
      const names = ["x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "N", "Z", "C", "V"];
      const mismatches: string[] = [];
      cases.forEach((c, i) => {
        const at = i * outputsPerCase * 8;
        const differing = names.filter((_, r) => expected.readBigUInt64LE(at + r * 8) !== actual.readBigUInt64LE(at + r * 8));
        if (differing.length > 0) {
          const got = differing.map((name) => `${name}=0x${actual.readBigUInt64LE(at + names.indexOf(name) * 8).toString(16)}/qemu 0x${expected.readBigUInt64LE(at + names.indexOf(name) * 8).toString(16)}`);
          mismatches.push(`${c.owner} ${c.word.toString(16)} "${formatInsn(decodeA64(c.word, 0n))}": ${got.join(" ")}`);
        }
      });
      expect(mismatches).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
