// Computed gotos (test/diff/programs/computed-goto.c: label-difference tables of 32 and 16 bits, an absolute
// label table behind a threaded interpreter, offsets computed at run time, labels a nested function returns) through lift, emit and cc against
// qemu-aarch64, at -O0 (the address goes through the stack) and -O2; and the labels lifted as blocks of their
// function, never as functions of their own.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { withFileSource } from "../../src/formats/byte-source.js";
import { readElfFunctionSymbols } from "../../src/formats/elf64.js";
import { imageFromElf, liftModule } from "../../src/lift/index.js";
import { requireTools } from "../helpers/tools.js";
import { runLifted } from "./run-lifted.js";

const source = join(import.meta.dirname, "programs", "computed-goto.c");
const flags = [
  "-static", "-nostdlib", "-ffreestanding", "-march=armv8-a+crc+crypto", "-mno-outline-atomics",
  "-fno-stack-protector", "-fno-tree-loop-distribute-patterns",
];
const gotoFunctions = ["int_differences", "short_differences", "run", "relocated_program", "nested_labels"];

describe.runIf(requireTools("aarch64-linux-gnu-gcc", "qemu-aarch64", "cc", "make"))("computed goto vs qemu-aarch64", () => {
  it.each([["-O0"], ["-O2"]])("computed-goto.c at %s prints and exits exactly as under qemu", async (level) => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-computed-goto-"));
    try {
      const elf = join(dir, "computed-goto");
      await execa("aarch64-linux-gnu-gcc", [level, ...flags, "-o", elf, source]);
      const expected = await execa("qemu-aarch64", [elf], { reject: false });
      expect(expected.stdout.split("\n")).toHaveLength(31);

      const lifted = await liftModule({ image: await imageFromElf(elf), mode: "decode", outDir: join(dir, "lift") });
      expect(lifted.unsupported).toEqual([]);
      const symbols = await withFileSource(elf, elf, readElfFunctionSymbols);
      for (const name of gotoFunctions) {
        const symbol = symbols.find((s) => s.name === name);
        const fn = lifted.module.functions.find((f) => f.name === name);
        // Every computed goto has a table of in-function labels; no label became a function.
        const gotos = (fn?.blocks ?? []).flatMap((block) => (block.terminator.op === "br_indirect" ? [block.terminator.table.length] : []));
        expect(gotos.length, name).toBeGreaterThan(0);
        expect(Math.min(...gotos), name).toBeGreaterThanOrEqual(3);
        const start = symbol?.address ?? 0n;
        const inside = lifted.module.functions.filter((f) => BigInt(f.entry) > start && BigInt(f.entry) < start + (symbol?.size ?? 0n));
        expect(inside.map((f) => f.name), name).toEqual([]);
      }

      const actual = await runLifted(lifted.modulePath, join(dir, "build"));
      expect(actual.stdout).toBe(expected.stdout);
      expect(actual.exitCode).toBe(expected.exitCode);
      expect(actual.exitCode).toBe(7);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
