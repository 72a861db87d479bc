/*
 * Benchmark: recompiled code against native code and qemu-aarch64 (issue 12). Compute-bound programs of GCC's
 * torture corpus (scripts/torture, Debian's gcc-12-source) are built twice from the same C: for the Switch's CPU
 * (aarch64-linux-gnu-gcc -O2, picolibc, one static binary) and natively (gcc -O2). A driver runs program
 * argv[1] argv[2] times; the repetitions are chosen so the native run takes at least 0.5 s of CPU. The AArch64
 * binary runs under qemu-aarch64 and through recomp lift + emit (linux personality) + make (cc -O2). CPU time
 * (user + system, /usr/bin/time) of the three, alternating, median of the rounds. The ratio of the fastest rounds
 * is printed beside it: on a shared machine the recompiled run (loads and stores of the CPU state at every call)
 * slows down more than the native one when the host is busy, and the fastest round is each binary undisturbed.
 * Usage: npx tsx bench/torture-speed.ts [rounds=3] [program,...]
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { emitProject } from "../src/emit/index.js";
import { imageFromElf, liftModule } from "../src/lift/index.js";
import { extractCorpus, listPrograms, type TortureProgram } from "../scripts/torture/corpus.js";
import { guestFlags, guestOsLayer, layout } from "../scripts/torture/guest-build.js";
import { median } from "./median.js";

/**
 * Loops of the programs' own code (integer arithmetic, shifts, bit counts, bitfields, division), little libc; then
 * floating point as game math uses it: double compares and branches on them (fp-cmp-4), single multiplies with
 * subnormal operands and results (mul-subnormal-single-1), double-to-single conversions around FLT_MIN
 * (20000320-1), the cases where x86 and AArch64 differ most.
 */
const defaultPrograms = [
  "arith-rand", "arith-rand-ll", "ashldi-1", "ashrdi-1", "builtin-bitops-1", "20040709-1", "pr38051",
  "ieee/fp-cmp-4", "ieee/mul-subnormal-single-1", "ieee/20000320-1",
];
const nativeTarget = 0.5;

/*
 * The driver: program number and repetitions from argv. `exit` is renamed to bench_exit in every program, so a
 * program's final exit(0) returns to the driver; any other status (or abort) ends the run as a failure.
 */
function driverSource(count: number): string {
  const lines = Array.from({ length: count }, (_, i) => `int torture_${i}(int, char **);`);
  lines.push(
    "void abort(void);",
    "void bench_exit(int status) { if (status != 0) abort(); }",
    "static unsigned number(const char *p) { unsigned n = 0; for (; *p >= '0' && *p <= '9'; p++) n = n * 10 + (unsigned)(*p - '0'); return n; }",
    "int torture_main(int argc, char **argv) {",
    "  if (argc < 3) return 2;",
    "  unsigned which = number(argv[1]), repeat = number(argv[2]);",
    "  for (unsigned r = 0; r < repeat; r++) {",
    "    switch (which) {",
    ...Array.from({ length: count }, (_, i) => `    case ${i}: torture_${i}(1, argv + 1); break;`),
    "    default: return 2;",
    "    }",
    "  }",
    "  return 0;",
    "}",
    "",
  );
  return lines.join("\n");
}

async function compileRenamed(compiler: string, objcopy: string, flags: string[], program: TortureProgram, index: number, work: string, tag: string): Promise<string> {
  const object = join(work, `${tag}${index}.o`);
  await execa(compiler, [...flags, "-O2", ...program.options, "-Dexit=bench_exit", "-c", program.source, "-o", object]);
  const symbol = `torture_${index}`;
  await execa(objcopy, [`--redefine-sym=main=${symbol}`, `--keep-global-symbol=${symbol}`, object]);
  return object;
}

async function buildBinaries(programs: TortureProgram[], work: string): Promise<{ guest: string; native: string }> {
  const driver = join(work, "driver.c");
  await writeFile(driver, driverSource(programs.length));
  await writeFile(join(work, "native-main.c"), "int torture_main(int, char **);\nint main(int argc, char **argv) { return torture_main(argc, argv); }\n");
  const guestObjects: string[] = [];
  const nativeObjects: string[] = [];
  for (const [index, program] of programs.entries()) {
    guestObjects.push(await compileRenamed("aarch64-linux-gnu-gcc", "aarch64-linux-gnu-objcopy", guestFlags, program, index, work, "g"));
    nativeObjects.push(await compileRenamed("gcc", "objcopy", ["-w"], program, index, work, "n"));
  }
  const guest = join(work, "bench.elf");
  const os = [guestOsLayer, driver];
  await execa("aarch64-linux-gnu-gcc", [...guestFlags, "-O2", "-static", "-no-pie", "-nostartfiles", "-o", guest, ...os, ...guestObjects, "-lm", `-Wl,${layout.join(",")}`]);
  const native = join(work, "bench-native");
  await execa("gcc", ["-O2", "-w", "-o", native, driver, join(work, "native-main.c"), ...nativeObjects, "-lm"]);
  return { guest, native };
}

async function recompile(elf: string, work: string): Promise<string> {
  const lifted = await liftModule({ image: await imageFromElf(elf), mode: "decode", outDir: join(work, "lift") });
  if (lifted.unsupported.length > 0) console.log(`note: ${lifted.unsupported.length} unsupported instructions lifted as traps`);
  const build = join(work, "build");
  const emitted = await emitProject({ moduleJsonPath: lifted.modulePath, outDir: build, personality: "linux" });
  const env = { ...process.env, RECOMP_CACHE_DIR: join(work, "objcache") };
  await execa("make", ["-s", "-C", build], { env });
  return join(build, emitted.executable);
}

/** CPU seconds (user + system) of one run; the run must exit 0. */
async function cpuSeconds(command: string[]): Promise<number> {
  const run = await execa("/usr/bin/time", ["-f", "cpu %U %S", ...command], { reject: false });
  const line = run.stderr.split("\n").reverse().find((text) => text.startsWith("cpu ")) ?? "";
  if (run.exitCode !== 0) throw new Error(`${command.join(" ")} exited ${run.exitCode}: ${run.stderr.slice(0, 400)}`);
  const [user, system] = line.slice(4).split(" ").map(Number);
  return user + system;
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 3);
  const names = process.argv[3]?.split(",") ?? defaultPrograms;
  // RECOMP_BENCH_KEEP=<folder>: build there and keep it (to read the generated C).
  const keep = process.env.RECOMP_BENCH_KEEP;
  const work = keep ?? (await mkdtemp(join(tmpdir(), "recomp-torture-speed-")));
  try {
    await mkdir(work, { recursive: true });
    const execute = await extractCorpus(work);
    const all = await listPrograms(execute);
    const programs = names.map((name) => {
      const found = all.find((program) => program.name === name);
      if (found === undefined) throw new Error(`no torture program ${name}`);
      return found;
    });
    const { guest, native } = await buildBinaries(programs, work);
    const recompiled = await recompile(guest, work);
    const rows: string[] = [];
    const ratios: number[] = [];
    const qemuRatios: number[] = [];
    const fastestRatios: number[] = [];
    for (const [index, program] of programs.entries()) {
      let repeat = 1;
      for (let t = await cpuSeconds([native, `${index}`, "1"]); t < nativeTarget; t = await cpuSeconds([native, `${index}`, `${repeat}`])) {
        repeat = Math.ceil(repeat * Math.min(100, (nativeTarget * 1.6) / Math.max(t, 0.005)));
      }
      const times: { native: number[]; recompiled: number[]; qemu: number[] } = { native: [], recompiled: [], qemu: [] };
      for (let round = 0; round < rounds; round++) {
        times.native.push(await cpuSeconds([native, `${index}`, `${repeat}`]));
        times.recompiled.push(await cpuSeconds([recompiled, `${index}`, `${repeat}`]));
        times.qemu.push(await cpuSeconds(["qemu-aarch64", guest, `${index}`, `${repeat}`]));
      }
      const [n, r, q] = [median(times.native), median(times.recompiled), median(times.qemu)];
      const fastest = Math.min(...times.recompiled) / Math.min(...times.native);
      ratios.push(r / n);
      qemuRatios.push(q / r);
      fastestRatios.push(fastest);
      rows.push(`| ${program.name} | ${repeat} | ${n.toFixed(2)} | ${r.toFixed(2)} | ${q.toFixed(2)} | **${(r / n).toFixed(2)}x** | ${(q / r).toFixed(1)}x | ${fastest.toFixed(2)}x |`);
      console.log(rows.at(-1));
    }
    const geomean = (values: number[]): number => Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
    console.log("\n| program | repetitions | native CPU s | recompiled CPU s | qemu CPU s | recompiled / native | qemu / recompiled | fastest rounds |");
    console.log("|---|---|---|---|---|---|---|---|");
    for (const row of rows) console.log(row);
    console.log(`\ngeometric mean recompiled/native ${geomean(ratios).toFixed(2)}x, worst ${Math.max(...ratios).toFixed(2)}x; qemu/recompiled geometric mean ${geomean(qemuRatios).toFixed(1)}x, least ${Math.min(...qemuRatios).toFixed(1)}x; fastest rounds recompiled/native geometric mean ${geomean(fastestRatios).toFixed(2)}x, worst ${Math.max(...fastestRatios).toFixed(2)}x`);
  } finally {
    if (keep === undefined) await rm(work, { recursive: true, force: true });
  }
}

await main();
