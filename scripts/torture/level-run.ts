// One optimisation level end to end: build the one binary, recompile it, compare every program.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { TortureProgram } from "./corpus.js";
import { compareLevel, disassemble, recompileLevel, symbolsOf, type ProgramResult } from "./compare.js";
import { buildLevel, type OptimisationLevel } from "./guest-build.js";

/** What a long run reports as it goes (the whole corpus takes hours): each step done, each program judged. */
export interface LevelProgress {
  step?: (what: string) => void;
  result?: (result: ProgramResult) => void;
}

export async function runLevel(programs: readonly TortureProgram[], level: OptimisationLevel, work: string, progress: LevelProgress = {}): Promise<ProgramResult[]> {
  const dir = join(work, level.slice(1));
  await mkdir(dir, { recursive: true });
  const built = await buildLevel(programs.filter((program) => program.excluded === undefined), level, dir);
  progress.step?.(`${level}: built ${built.numbers.size} programs`);
  const recompiled = await recompileLevel(built, dir);
  progress.step?.(`${level}: recompiled`);
  const [disassembly, symbols] = await Promise.all([disassemble(built.elf), symbolsOf(built.elf)]);
  return compareLevel(programs, { built, recompiled, disassembly, symbols }, progress.result);
}

/** Counts per verdict, and per cause of failure (first unsupported mnemonic, fault kind), of one level. */
export function summarise(results: readonly ProgramResult[]): { verdicts: Record<string, number>; causes: Record<string, number> } {
  const verdicts: Record<string, number> = {};
  const causes: Record<string, number> = {};
  for (const result of results) {
    const verdict = result.verdict;
    verdicts[verdict.kind] = (verdicts[verdict.kind] ?? 0) + 1;
    let cause: string | undefined;
    if (verdict.kind === "unsupported") cause = `unsupported ${verdict.instruction.split(" ")[0] ?? "?"}`;
    if (verdict.kind === "fault") cause = verdict.message.replace(/0x[0-9a-f]+/g, "…").replace(/\[.*\]$/, "").slice(0, 80);
    if (verdict.kind === "differs") cause = verdict.difference.startsWith("stdout") ? "stdout differs" : verdict.difference.replace(/\d+/g, "N");
    if (cause !== undefined) causes[cause] = (causes[cause] ?? 0) + 1;
  }
  return { verdicts, causes };
}
