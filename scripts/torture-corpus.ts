// The whole GCC execute torture corpus (with ieee/) at -O0, -O2 and -O3 under qemu-aarch64 and
// recompiled (docs/torture.md): npx tsx scripts/torture-corpus.ts --out <folder> [--levels -O2,-O3]
// [--programs list.txt]. Writes <out>/<level>.json (every program: runs and verdict) and prints figures;
// keeps each level's guest binary in <out>/<level>-build/ and reuses it while its inputs are the same.
import { rmSync } from "node:fs";
import { appendFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { extractCorpus, listPrograms } from "./torture/corpus.js";
import { readProgramList } from "./torture/compare.js";
import { optimisationLevels, type OptimisationLevel } from "./torture/guest-build.js";
import { runLevel, summarise } from "./torture/level-run.js";

const command = new Command("torture-corpus")
  .requiredOption("--out <folder>", "folder for the per-level reports and built binaries (created; existing ones of the same level are replaced)")
  .option("--levels <list>", "comma-separated optimisation levels", optimisationLevels.join(","))
  .option("--programs <file>", "only the programs named in this list (one a line, e.g. test/torture/sample.txt)")
  .parse();
const flags = command.opts<{ out: string; levels: string; programs?: string }>();
const levels = flags.levels.split(",");
for (const level of levels) {
  if (!(optimisationLevels as readonly string[]).includes(level)) {
    console.error(`--levels: unknown level "${level}"; use ${optimisationLevels.join(", ")}`);
    process.exit(2);
  }
}

const work = await mkdtemp(join(tmpdir(), "recomp-torture-"));
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    rmSync(work, { recursive: true, force: true });
    process.exit(130);
  });
}
try {
  let programs = await listPrograms(await extractCorpus(work));
  if (flags.programs !== undefined) {
    const wanted = new Set(await readProgramList(flags.programs));
    const unknown = [...wanted].filter((name) => !programs.some((program) => program.name === name));
    if (unknown.length > 0) {
      console.error(`${flags.programs}: not in the corpus: ${unknown.slice(0, 5).join(", ")}; names are paths under execute/ without .c`);
      process.exit(2);
    }
    programs = programs.filter((program) => wanted.has(program.name));
  }
  await mkdir(flags.out, { recursive: true });
  for (const level of levels as OptimisationLevel[]) {
    // Each judged program is appended to <level>.partial.jsonl as it finishes, so a stopped run still has figures.
    const partial = join(flags.out, `${level.slice(1)}.partial.jsonl`);
    await writeFile(partial, "");
    let appending = Promise.resolve();
    const results = await runLevel(programs, level, work, {
      step: (what) => console.log(`${new Date().toISOString().slice(11, 19)} ${what}`),
      result: (result) => void (appending = appending.then(() => appendFile(partial, `${JSON.stringify(result)}\n`))),
      buildCache: join(flags.out, `${level.slice(1)}-build`),
    });
    await appending;
    await writeFile(join(flags.out, `${level.slice(1)}.json`), `${JSON.stringify(results, null, 1)}\n`);
    const { verdicts, causes } = summarise(results);
    console.log(`${level}: ${programs.length} programs`, verdicts);
    for (const [cause, count] of Object.entries(causes).sort((a, b) => b[1] - a[1])) console.log(`  ${String(count).padStart(4)}  ${cause}`);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
