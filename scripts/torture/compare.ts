// Runs one built level of the torture corpus under qemu-aarch64 (the oracle) and through recomp
// (lift the ELF, emit with the linux personality, make, run), and classifies every program.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { emitProject } from "../../src/emit/index.js";
import { imageFromElf, liftModule } from "../../src/lift/index.js";
import { parseExecutionProfile, type ExecutionProfile } from "../../src/formats/execution-profile.js";
import type { TortureProgram } from "./corpus.js";
import type { BuiltLevel, OptimisationLevel } from "./guest-build.js";
import { mapPool } from "./pool.js";

/** A torture test that has not finished in this time under qemu (or recompiled) counts as hanging. */
const runTimeoutMs = 20_000;

export interface ProgramRun {
  stdout: string;
  stderr: string;
  exitCode: number;
  timedOut: boolean;
}

export type Verdict =
  | { kind: "excluded"; reason: string }
  | { kind: "not-built"; reason: string }
  | { kind: "qemu-fails"; reason: string }
  | { kind: "pass" }
  | { kind: "unsupported"; instruction: string; function: string; pc: string }
  | { kind: "fault"; message: string }
  | { kind: "differs"; difference: string };

export interface ProgramResult {
  name: string;
  level: OptimisationLevel;
  qemu?: ProgramRun;
  recompiled?: ProgramRun;
  verdict: Verdict;
}

async function runProgram(file: string, args: string[]): Promise<ProgramRun> {
  const run = await execa(file, args, { reject: false, timeout: runTimeoutMs, stripFinalNewline: false, maxBuffer: 16 << 20 });
  return { stdout: run.stdout, stderr: run.stderr, exitCode: run.exitCode ?? -1, timedOut: run.timedOut };
}

export interface Recompiled {
  executable: string;
  /** Functions of the lifted module, by entry address, to name the one a fault is in. */
  functions: { entry: bigint; name: string }[];
}

/**
 * recomp lift (ELF input) + emit (linux personality) + make, once for the whole level. `profiledArgs`: tiered
 * (docs/runtime-core.md, "Optimisation tiers"): the profiling build runs with these arguments, and the level is
 * emitted again with its profile, so the functions that run only for other arguments are cold (-O0, checked calls).
 */
export async function recompileLevel(built: BuiltLevel, work: string, cflags = "-O1", profiledArgs?: readonly string[]): Promise<Recompiled> {
  const lifted = await liftModule({ image: await imageFromElf(built.elf), mode: "decode", outDir: join(work, "lift") });
  const buildDir = join(work, "build");
  const emit = (profile?: ExecutionProfile) => emitProject({ moduleJsonPath: lifted.modulePath, outDir: buildDir, personality: "linux", profile });
  // No shared object cache: nothing written outside the work folder, and the same cost on every machine.
  const make = (target: string[]) => execa("make", ["-s", "-C", buildDir, `CFLAGS=${cflags}`, ...target], { env: { RECOMP_CACHE_DIR: "off" } });
  let emitted = await emit();
  if (profiledArgs !== undefined) {
    await make([`${emitted.executable}-profile`]);
    const profileFile = join(work, "profile.txt");
    await execa(join(buildDir, `${emitted.executable}-profile`), [...profiledArgs], { env: { RECOMP_PROFILE_OUT: profileFile } });
    emitted = await emit(parseExecutionProfile(await readFile(profileFile, "utf8"), profileFile));
  }
  await make([]);
  const functions = lifted.module.functions.map((fn) => ({ entry: BigInt(fn.entry), name: fn.name })).sort((a, b) => (a.entry < b.entry ? -1 : 1));
  return { executable: join(buildDir, emitted.executable), functions };
}

/** Disassembly of every instruction of the ELF, by address, to name a trapped instruction. */
export async function disassemble(elf: string): Promise<Map<bigint, string>> {
  const { stdout } = await execa("aarch64-linux-gnu-objdump", ["-d", "--no-show-raw-insn", elf], { maxBuffer: 1 << 30 });
  const lines = new Map<bigint, string>();
  for (const match of stdout.matchAll(/^\s+([0-9a-f]+):\s+(.+)$/gm)) lines.set(BigInt(`0x${match[1]}`), (match[2] ?? "").replace(/\s+/g, " ").trim());
  return lines;
}

/** The ELF's function symbols (the tests' own, made local), to name where a fault happened. */
export async function symbolsOf(elf: string): Promise<{ entry: bigint; name: string }[]> {
  const { stdout } = await execa("aarch64-linux-gnu-nm", ["-n", "--defined-only", elf], { maxBuffer: 1 << 28 });
  const symbols: { entry: bigint; name: string }[] = [];
  for (const match of stdout.matchAll(/^([0-9a-f]+) [tTwW] (\S+)$/gm)) symbols.push({ entry: BigInt(`0x${match[1]}`), name: match[2] });
  return symbols;
}

function nameAt(symbols: readonly { entry: bigint; name: string }[], pc: bigint): string {
  let found = "?";
  for (const symbol of symbols) {
    if (symbol.entry > pc) break;
    found = symbol.name;
  }
  return found;
}

export interface LevelContext {
  built: BuiltLevel;
  recompiled: Recompiled;
  disassembly: Map<bigint, string>;
  symbols: { entry: bigint; name: string }[];
}

/** qemu and recompiled runs of every program of the level, two at a time, with a verdict each. */
export async function compareLevel(programs: readonly TortureProgram[], context: LevelContext, onResult?: (result: ProgramResult) => void): Promise<ProgramResult[]> {
  const judged = async (program: TortureProgram): Promise<ProgramResult> => {
    const result = await compareProgram(program, context);
    onResult?.(result);
    return result;
  };
  return mapPool(programs, 2, judged);
}

async function compareProgram(program: TortureProgram, context: LevelContext): Promise<ProgramResult> {
  const { built } = context;
  const base = { name: program.name, level: built.level };
  if (program.excluded !== undefined) return { ...base, verdict: { kind: "excluded", reason: program.excluded } };
  const number = built.numbers.get(program.name);
  if (number === undefined) return { ...base, verdict: { kind: "not-built", reason: built.buildErrors.get(program.name) ?? "not in the binary" } };
  const qemu = await runProgram("qemu-aarch64", [built.elf, String(number)]);
  if (qemu.timedOut || qemu.exitCode !== 0) {
    const reason = qemu.timedOut ? "timed out" : `exit status ${qemu.exitCode}${qemu.stderr === "" ? "" : `: ${qemu.stderr.trim().split("\n")[0]}`}`;
    return { ...base, qemu, verdict: { kind: "qemu-fails", reason } };
  }
  const recompiled = await runProgram(context.recompiled.executable, [String(number)]);
  return { ...base, qemu, recompiled, verdict: judge(qemu, recompiled, context) };
}

function judge(qemu: ProgramRun, recompiled: ProgramRun, context: LevelContext): Verdict {
  if (recompiled.stdout === qemu.stdout && recompiled.exitCode === qemu.exitCode && !recompiled.timedOut) return { kind: "pass" };
  const trap = /^fault: unsupported instruction 0x[0-9a-f]+ at 0x[0-9a-f]+ \(word 0x[0-9a-f]+\) \(instruction at 0x([0-9a-f]+)\)$/m.exec(recompiled.stderr);
  if (trap !== null) {
    const pc = BigInt(`0x${trap[1]}`);
    const instruction = context.disassembly.get(pc) ?? "?";
    return { kind: "unsupported", instruction, function: nameAt(context.symbols, pc), pc: `0x${pc.toString(16)}` };
  }
  const fault = /^fault: .*$/m.exec(recompiled.stderr);
  if (fault !== null) {
    const pc = /instruction at 0x([0-9a-f]+)/.exec(fault[0]);
    const where = pc === null ? "" : ` [${nameAt(context.symbols, BigInt(`0x${pc[1]}`))}: ${context.disassembly.get(BigInt(`0x${pc[1]}`)) ?? "?"}]`;
    return { kind: "fault", message: `${fault[0]}${where}` };
  }
  if (recompiled.timedOut) return { kind: "differs", difference: "recompiled run timed out" };
  if (recompiled.exitCode !== qemu.exitCode) return { kind: "differs", difference: `exit status ${recompiled.exitCode}, qemu ${qemu.exitCode}` };
  return { kind: "differs", difference: firstDifference(qemu.stdout, recompiled.stdout) };
}

/** The first stdout line that differs, both ways (1-based line number). */
export function firstDifference(expected: string, actual: string): string {
  const want = expected.split("\n");
  const got = actual.split("\n");
  let line = 0;
  while (line < want.length && want[line] === got[line]) line++;
  return `stdout line ${line + 1}: qemu ${JSON.stringify(want[line] ?? "<end>")}, recompiled ${JSON.stringify(got[line] ?? "<end>")}`;
}

export async function readProgramList(file: string): Promise<string[]> {
  return (await readFile(file, "utf8")).split("\n").map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("#"));
}
