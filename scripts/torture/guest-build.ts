// Builds one optimisation level of the torture corpus into ONE static AArch64 program: each test is
// compiled to an object, its main renamed torture_<n> and every other symbol made local (objcopy),
// then linked with a driver that runs the test numbered argv[1], the picolibc OS layer and picolibc.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import type { TortureProgram } from "./corpus.js";
import { mapPool } from "./pool.js";

export const optimisationLevels = ["-O0", "-O2", "-O3"] as const;
export type OptimisationLevel = (typeof optimisationLevels)[number];

const picolibc = "/usr/lib/picolibc/aarch64-linux-gnu";
export const picolibcSpecs = `${picolibc}/picolibc.specs`;
export const guestOsLayer = join(import.meta.dirname, "../../test/torture/guest/linux-picolibc.c");
/** The Switch's code generation (Cortex-A57: ARMv8.0-A with CRC and crypto; FP and SIMD on), picolibc's headers. */
export const guestFlags = ["-march=armv8-a+crc+crypto", `--specs=${picolibcSpecs}`, "-w"];
/** Text from 0x400000, data, heap and stack (.bss) from 0x10000000: clear of recomp's default stack region. */
export const layout = ["--defsym=__flash=0x400000", "--defsym=__flash_size=0x8000000", "--defsym=__ram=0x10000000", "--defsym=__ram_size=0x8000000"];
const maxLinkRounds = 40;

export interface BuiltLevel {
  level: OptimisationLevel;
  elf: string;
  /** Driver number of every program in the binary. */
  numbers: Map<string, number>;
  /** Programs left out of the binary: compiler or linker message (first lines). */
  buildErrors: Map<string, string>;
}

const firstLines = (text: string): string => text.split("\n").filter((line) => line.trim() !== "").slice(0, 4).join("\n");

/** Compiles, renames and links `programs` at `level` in `work`; programs that do not build are reported, not fatal. */
export async function buildLevel(programs: readonly TortureProgram[], level: OptimisationLevel, work: string): Promise<BuiltLevel> {
  const buildErrors = new Map<string, string>();
  const objects = new Map<string, string>();
  await mapPool(programs, 2, async (program, index) => {
    const object = join(work, `t${index}.o`);
    const compiled = await execa("aarch64-linux-gnu-gcc", [...guestFlags, level, ...program.options, "-c", program.source, "-o", object], { reject: false });
    if (compiled.exitCode !== 0) {
      buildErrors.set(program.name, `compile: ${firstLines(compiled.stderr)}`);
      return;
    }
    const symbol = `torture_${index}`;
    await execa("aarch64-linux-gnu-objcopy", [`--redefine-sym=main=${symbol}`, `--keep-global-symbol=${symbol}`, object]);
    objects.set(program.name, object);
  });
  const os = join(work, "linux-picolibc.o");
  await execa("aarch64-linux-gnu-gcc", [...guestFlags, "-O2", "-c", guestOsLayer, "-o", os]);
  const elf = join(work, `torture${level}.elf`);
  const linked = programs.filter((program) => objects.has(program.name));
  for (let round = 0; ; round++) {
    const numbers = new Map(linked.map((program) => [program.name, programs.indexOf(program)]));
    const driver = join(work, "driver.c");
    await writeFile(driver, driverSource([...numbers.values()]));
    const driverObject = join(work, "driver.o");
    await execa("aarch64-linux-gnu-gcc", [...guestFlags, "-O2", "-c", driver, "-o", driverObject]);
    const link = await execa(
      "aarch64-linux-gnu-gcc",
      [...guestFlags, level, "-static", "-no-pie", "-nostartfiles", "-o", elf, os, driverObject, ...linked.map((p) => objects.get(p.name) as string), "-lm", `-Wl,${layout.join(",")}`],
      { reject: false },
    );
    if (link.exitCode === 0) return { level, elf, numbers, buildErrors };
    const culprits = new Set([...link.stderr.matchAll(/\bt(\d+)\.o\b/g)].map((match) => Number(match[1])));
    if (culprits.size === 0 || round === maxLinkRounds) throw new Error(`linking ${elf} failed:\n${link.stderr}`);
    for (const index of culprits) {
      const program = programs[index];
      buildErrors.set(program.name, `link: ${firstLines(link.stderr.split("\n").filter((line) => line.includes(`t${index}.o`)).join("\n"))}`);
      linked.splice(linked.indexOf(program), 1);
    }
  }
}

/** torture_main(argc, argv): runs test number argv[1] with the rest of the arguments (argv[0] = its number). */
export function driverSource(numbers: readonly number[]): string {
  const lines = numbers.map((n) => `int torture_${n}(int, char **);`);
  lines.push(
    "int torture_main(int argc, char **argv) {",
    "  if (argc < 2) return 2;",
    "  unsigned n = 0;",
    "  for (const char *p = argv[1]; *p >= '0' && *p <= '9'; p++) n = n * 10 + (unsigned)(*p - '0');",
    "  switch (n) {",
    ...numbers.map((n) => `  case ${n}: return torture_${n}(argc - 1, argv + 1);`),
    "  }",
    "  return 2;",
    "}",
    "",
  );
  return lines.join("\n");
}
