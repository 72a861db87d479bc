/**
 * Benchmark: what one guest unit's emitted C costs the C compiler (issue 12, builds), on a fixed sample of a
 * lifted module's units. `emit` writes the sample (every k-th unit of the stable assignment, plus the unit of
 * the largest function) with this checkout's emitter and runtime headers into a folder; `compile` compiles the
 * units of one or more such folders with the Makefile's flags, alternating folder by folder for each unit so
 * that side-by-side figures see the same load, and reports CPU seconds (user + system, /usr/bin/time) and
 * lifted instructions per CPU second per unit and in total. Extra compiler flags for every folder may follow
 * `--`; flags for one folder's column follow its name after `::` (`sample::-O1`: the same units at -O1), and a
 * compiler other than `cc` after a second `::` (`sample::-O1::clang`). Each column also reports the largest peak
 * RSS of its compiles (GNU time's %M), for the bound of 1 GiB per compiler. `count` takes the same columns and
 * reports the instructions the compiler executes instead (valgrind's cachegrind over the driver and its children):
 * slow, but independent of the machine's load, which moves CPU seconds by 20-40% on the shared machine.
 *
 *   npx tsx bench/unit-compile.ts emit <module.json> <folder> [units=10]
 *   npx tsx bench/unit-compile.ts compile|count <folder>[::flags[::compiler]]... [-- flags]
 */
import { cp, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { argumentChanges } from "../src/emit/call-effects.js";
import { emitLayoutH, emitUnitC } from "../src/emit/emit-c.js";
import { runtimeRoot } from "../src/emit/runtime-root.js";
import { loadModuleJson } from "../src/emit/load-module.js";
import { assignUnits, instructionCount } from "../src/emit/units.js";

// The hot tier's flags (GUESTOPT, HOTFLAGS, GUESTFLAGS); `::-URT_GUEST_KNOWN_ADDRESSES` compiles a column without HOTFLAGS.
const guestFlags = ["-O2", "-DRT_GUEST_KNOWN_ADDRESSES=1", "-ffp-contract=off", "-frounding-math", "-std=c99", "-fno-asynchronous-unwind-tables", "-Werror=implicit-function-declaration"];

async function emitSample(modulePath: string, folder: string, count: number): Promise<void> {
  const { module } = await loadModuleJson(modulePath);
  const functions = [...module.functions].sort((a, b) => (BigInt(a.entry) < BigInt(b.entry) ? -1 : 1));
  const units = assignUnits(functions);
  // As the build emits them: each unit knows which register arguments its other units' functions may change.
  const changes = argumentChanges(functions);
  const step = Math.max(1, Math.floor(units.length / count));
  const largest = units.reduce((best, unit) => (unit.functions.some((fn) => instructionCount(fn) > 10000) ? unit : best), units[0]);
  const picked = new Set(units.filter((_, index) => index % step === step >> 1).slice(0, count));
  if (largest !== undefined) picked.add(largest);
  await mkdir(join(folder, "guest"), { recursive: true });
  await cp(join(runtimeRoot, "core"), join(folder, "runtime", "core"), { recursive: true });
  await writeFile(join(folder, "layout.h"), emitLayoutH([{ name: "sample", base: 0n, size: 0n, read: true, write: false, execute: false }]));
  for (const unit of picked) {
    await writeFile(join(folder, unit.path), emitUnitC(unit, changes));
    const instructions = unit.functions.reduce((sum, fn) => sum + instructionCount(fn), 0);
    await writeFile(join(folder, `${unit.path}.insns`), `${instructions}\n`);
  }
}

interface Compile {
  cpu: number;
  rssKiB: number;
}

async function compileUnit(folder: string, unit: string, compiler: string, extra: readonly string[]): Promise<Compile> {
  const args = ["-f", "%U %S %M", compiler, ...guestFlags, ...extra, "-I.", "-Iruntime/core", "-c", "-o", "/dev/null", unit];
  const { stderr } = await execa("/usr/bin/time", args, { cwd: folder });
  const [user, system, rss] = (stderr.trim().split("\n").at(-1) ?? "").split(" ").map(Number);
  return { cpu: (user ?? NaN) + (system ?? NaN), rssKiB: rss ?? NaN };
}

/** The instructions the compiler (driver, cc1, as) executes for one unit, counted by cachegrind. */
async function countUnit(folder: string, unit: string, compiler: string, extra: readonly string[]): Promise<number> {
  const valgrind = ["--tool=cachegrind", "--cache-sim=no", "--trace-children=yes", "--cachegrind-out-file=/dev/null"];
  const args = [...valgrind, compiler, ...guestFlags, ...extra, "-I.", "-Iruntime/core", "-c", "-o", "/dev/null", unit];
  const { stderr } = await execa("valgrind", args, { cwd: folder });
  return [...stderr.matchAll(/I\s+refs:\s+([\d,]+)/g)].reduce((sum, match) => sum + Number(match[1].replaceAll(",", "")), 0);
}

interface Columns {
  folders: string[];
  flags: string[][];
  compilers: string[];
  units: string[];
}

/** `folder[::flags[::compiler]]` columns, and the sample's units (those of the first folder). */
async function parseColumns(columns: readonly string[]): Promise<Columns> {
  const folders = columns.map((column) => column.split("::")[0]);
  const flags = columns.map((column) => column.split("::")[1]?.split(" ").filter((flag) => flag !== "") ?? []);
  const compilers = columns.map((column) => column.split("::")[2] ?? "cc");
  const units = (await readdir(join(folders[0], "guest"))).filter((name) => name.endsWith(".c")).sort();
  return { folders, flags, compilers, units };
}

async function countSample(columns: readonly string[], extra: readonly string[]): Promise<void> {
  const { folders, flags, compilers, units } = await parseColumns(columns);
  const totals = folders.map(() => 0);
  process.stdout.write(`| unit | instructions | ${columns.map((f) => `${f}: compiler instructions (M)`).join(" | ")} |\n`);
  for (const unit of units) {
    const counts: number[] = [];
    for (const [index, folder] of folders.entries()) counts.push(await countUnit(folder, join("guest", unit), compilers[index], [...flags[index], ...extra]));
    counts.forEach((count, index) => (totals[index] += count));
    const instructions = Number(await readFile(join(folders[0], "guest", `${unit}.insns`), "utf8"));
    process.stdout.write(`| ${unit} | ${instructions} | ${counts.map((count) => (count / 1e6).toFixed(0)).join(" | ")} |\n`);
  }
  const first = totals[0] ?? 1;
  process.stdout.write(`| total | | ${totals.map((total) => `${(total / 1e6).toFixed(0)} (${(total / first).toFixed(3)})`).join(" | ")} |\n`);
}

async function compileSample(columns: readonly string[], extra: readonly string[]): Promise<void> {
  const { folders, flags, compilers, units } = await parseColumns(columns);
  const totals = folders.map(() => ({ cpu: 0, instructions: 0, bytes: 0, rssKiB: 0 }));
  const load = async (): Promise<string> => (await readFile("/proc/loadavg", "utf8")).split(" ").slice(0, 3).join(" ");
  process.stdout.write(`load average at start ${await load()}\n| unit | instructions | ${columns.map((f) => `${f}: KiB C, CPU s, insns/CPU s`).join(" | ")} |\n`);
  for (const unit of units) {
    const instructions = Number(await readFile(join(folders[0], "guest", `${unit}.insns`), "utf8"));
    const cells: string[] = [];
    for (const [index, folder] of folders.entries()) {
      const bytes = (await readFile(join(folder, "guest", unit))).length;
      const { cpu, rssKiB } = await compileUnit(folder, join("guest", unit), compilers[index], [...flags[index], ...extra]);
      const total = totals[index];
      total.cpu += cpu;
      total.rssKiB = Math.max(total.rssKiB, rssKiB);
      total.instructions += instructions;
      total.bytes += bytes;
      cells.push(`${(bytes / 1024).toFixed(0)}, ${cpu.toFixed(2)}, ${(instructions / cpu).toFixed(0)}`);
    }
    process.stdout.write(`| ${unit} | ${instructions} | ${cells.join(" | ")} |\n`);
  }
  const sums = totals.map((t) => `${(t.bytes / 1024).toFixed(0)}, ${t.cpu.toFixed(2)}, ${(t.instructions / t.cpu).toFixed(0)}; peak ${(t.rssKiB / 1024).toFixed(0)} MiB`);
  process.stdout.write(`| total | ${totals[0]?.instructions ?? 0} | ${sums.join(" | ")} |\nload average at end ${await load()}\n`);
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === "emit" && rest.length >= 2) await emitSample(rest[0], rest[1], Number(rest[2] ?? 10));
else if ((mode === "compile" || mode === "count") && rest.length >= 1) {
  const split = rest.indexOf("--");
  const measure = mode === "compile" ? compileSample : countSample;
  await measure(split < 0 ? rest : rest.slice(0, split), split < 0 ? [] : rest.slice(split + 1));
} else {
  process.stderr.write("usage: unit-compile.ts emit <module.json> <folder> [units] | compile|count <folder>[::flags[::compiler]]... [-- flags]\n");
  process.exit(2);
}
