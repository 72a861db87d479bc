// One optimisation level end to end: build the one binary, recompile it, compare every program.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { TortureProgram } from "./corpus.js";
import { compareLevel, disassemble, recompileLevel, symbolsOf, type ProgramResult } from "./compare.js";
import { buildLevelCached } from "./build-cache.js";
import { buildLevel, type OptimisationLevel } from "./guest-build.js";

/** For a long run (the whole corpus takes hours): what it reports as it goes, and where it keeps the built binary. */
export interface LevelOptions {
  step?: (what: string) => void;
  result?: (result: ProgramResult) => void;
  /** Folder to keep the built level in and reuse it from (build-cache.ts). */
  buildCache?: string;
  /** Tiered (compare.ts recompileLevel): the profile is the run of the first program built; the others run cold code. */
  tiered?: boolean;
}

export async function runLevel(programs: readonly TortureProgram[], level: OptimisationLevel, work: string, progress: LevelOptions = {}): Promise<ProgramResult[]> {
  const dir = join(work, level.slice(1));
  await mkdir(dir, { recursive: true });
  const guests = programs.filter((program) => program.excluded === undefined);
  const built = progress.buildCache === undefined ? await buildLevel(guests, level, dir) : await buildLevelCached(guests, level, dir, progress.buildCache);
  progress.step?.(`${level}: built ${built.numbers.size} programs${"reused" in built && built.reused ? " (reused from the build cache)" : ""}`);
  const first = Math.min(...built.numbers.values());
  const recompiled = await recompileLevel(built, dir, undefined, progress.tiered === true ? [String(first)] : undefined);
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
