/**
 * Benchmark: what one guest unit's emitted C costs the C compiler (issue 12, builds), on a fixed sample of a
 * lifted module's units. `emit` writes the sample (every k-th unit of the stable assignment, plus the unit of
 * the largest function) with this checkout's emitter and runtime headers into a folder; `compile` compiles the
 * units of one or more such folders with the Makefile's flags, alternating folder by folder for each unit so
 * that side-by-side figures see the same load, and reports CPU seconds (user + system, /usr/bin/time) and
 * lifted instructions per CPU second per unit and in total. Extra compiler flags for every folder may follow
 * `--`; flags for one folder's column follow its name after `::` (`sample::-O1`: the same units at -O1).
 *
 *   npx tsx bench/unit-compile.ts emit <module.json> <folder> [units=10]
 *   npx tsx bench/unit-compile.ts compile <folder>[::flags]... [-- flags]
 */
import { cp, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { emitLayoutH, emitUnitC } from "../src/emit/emit-c.js";
import { runtimeRoot } from "../src/emit/runtime-root.js";
import { loadModuleJson } from "../src/emit/load-module.js";
import { assignUnits, instructionCount } from "../src/emit/units.js";

const guestFlags = ["-O2", "-ffp-contract=off", "-frounding-math", "-std=c99", "-fno-asynchronous-unwind-tables", "-Werror=implicit-function-declaration"];

async function emitSample(modulePath: string, folder: string, count: number): Promise<void> {
  const { module } = await loadModuleJson(modulePath);
  const functions = [...module.functions].sort((a, b) => (BigInt(a.entry) < BigInt(b.entry) ? -1 : 1));
  const units = assignUnits(functions);
  const step = Math.max(1, Math.floor(units.length / count));
  const largest = units.reduce((best, unit) => (unit.functions.some((fn) => instructionCount(fn) > 10000) ? unit : best), units[0]);
  const picked = new Set(units.filter((_, index) => index % step === step >> 1).slice(0, count));
  if (largest !== undefined) picked.add(largest);
  await mkdir(join(folder, "guest"), { recursive: true });
  await cp(join(runtimeRoot, "core"), join(folder, "runtime", "core"), { recursive: true });
  await writeFile(join(folder, "layout.h"), emitLayoutH([{ name: "sample", base: 0n, size: 0n, read: true, write: false, execute: false }]));
  for (const unit of picked) {
    await writeFile(join(folder, unit.path), emitUnitC(unit));
    const instructions = unit.functions.reduce((sum, fn) => sum + instructionCount(fn), 0);
    await writeFile(join(folder, `${unit.path}.insns`), `${instructions}\n`);
  }
}

async function cpuSeconds(folder: string, unit: string, extra: readonly string[]): Promise<number> {
  const args = ["-f", "%U %S", "cc", ...guestFlags, ...extra, "-I.", "-Iruntime/core", "-c", "-o", "/dev/null", unit];
  const { stderr } = await execa("/usr/bin/time", args, { cwd: folder });
  const [user, system] = (stderr.trim().split("\n").at(-1) ?? "").split(" ").map(Number);
  return (user ?? NaN) + (system ?? NaN);
}

async function compileSample(columns: readonly string[], extra: readonly string[]): Promise<void> {
  const folders = columns.map((column) => column.split("::")[0]);
  const flags = columns.map((column) => column.split("::")[1]?.split(" ").filter((flag) => flag !== "") ?? []);
  const units = (await readdir(join(folders[0], "guest"))).filter((name) => name.endsWith(".c")).sort();
  const totals = folders.map(() => ({ cpu: 0, instructions: 0, bytes: 0 }));
  const load = async (): Promise<string> => (await readFile("/proc/loadavg", "utf8")).split(" ").slice(0, 3).join(" ");
  process.stdout.write(`load average at start ${await load()}\n| unit | instructions | ${columns.map((f) => `${f}: KiB C, CPU s, insns/CPU s`).join(" | ")} |\n`);
  for (const unit of units) {
    const instructions = Number(await readFile(join(folders[0], "guest", `${unit}.insns`), "utf8"));
    const cells: string[] = [];
    for (const [index, folder] of folders.entries()) {
      const bytes = (await readFile(join(folder, "guest", unit))).length;
      const cpu = await cpuSeconds(folder, join("guest", unit), [...flags[index], ...extra]);
      const total = totals[index];
      total.cpu += cpu;
      total.instructions += instructions;
      total.bytes += bytes;
      cells.push(`${(bytes / 1024).toFixed(0)}, ${cpu.toFixed(2)}, ${(instructions / cpu).toFixed(0)}`);
    }
    process.stdout.write(`| ${unit} | ${instructions} | ${cells.join(" | ")} |\n`);
  }
  const sums = totals.map((t) => `${(t.bytes / 1024).toFixed(0)}, ${t.cpu.toFixed(2)}, ${(t.instructions / t.cpu).toFixed(0)}`);
  process.stdout.write(`| total | ${totals[0]?.instructions ?? 0} | ${sums.join(" | ")} |\nload average at end ${await load()}\n`);
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === "emit" && rest.length >= 2) await emitSample(rest[0], rest[1], Number(rest[2] ?? 10));
else if (mode === "compile" && rest.length >= 1) {
  const split = rest.indexOf("--");
  await compileSample(split < 0 ? rest : rest.slice(0, split), split < 0 ? [] : rest.slice(split + 1));
} else {
  process.stderr.write("usage: unit-compile.ts emit <module.json> <folder> [units] | compile <folder>... [-- flags]\n");
  process.exit(2);
}
