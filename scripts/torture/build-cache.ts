// A built level kept in the corpus script's --out folder: the guest binary depends only on the compiler,
// picolibc, the corpus and this build procedure, never on recomp, so re-running a level after a lifter or
// emitter change skips the hour of compiling 1,650 programs. Any change of those inputs builds afresh.
import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import type { TortureProgram } from "./corpus.js";
import { buildLevel, guestFlags, guestOsLayer, layout, picolibcSpecs, type BuiltLevel, type OptimisationLevel } from "./guest-build.js";

interface SavedBuild {
  key: string;
  numbers: [string, number][];
  buildErrors: [string, string][];
}

/** What the built binary depends on: compiler and picolibc versions, flags, every source, the build procedure. */
async function buildKey(programs: readonly TortureProgram[], level: OptimisationLevel): Promise<string> {
  const hash = createHash("sha256");
  const gcc = await execa("aarch64-linux-gnu-gcc", ["--version"]);
  hash.update(gcc.stdout).update(JSON.stringify([level, guestFlags, layout]));
  for (const file of [picolibcSpecs, guestOsLayer, join(import.meta.dirname, "guest-build.ts")]) hash.update(await readFile(file));
  for (const program of programs) hash.update(JSON.stringify([program.name, program.options])).update(await readFile(program.source));
  return hash.digest("hex");
}

/** `buildLevel`, or the level built earlier into `cacheDir` from the same inputs. */
export async function buildLevelCached(programs: readonly TortureProgram[], level: OptimisationLevel, work: string, cacheDir: string): Promise<BuiltLevel & { reused: boolean }> {
  const key = await buildKey(programs, level);
  const elf = join(cacheDir, `torture${level}.elf`);
  const meta = join(cacheDir, "build.json");
  const saved = await readFile(meta, "utf8").then((text) => JSON.parse(text) as SavedBuild, () => undefined);
  if (saved?.key === key) return { level, elf, numbers: new Map(saved.numbers), buildErrors: new Map(saved.buildErrors), reused: true };
  const built = await buildLevel(programs, level, work);
  await mkdir(cacheDir, { recursive: true });
  await copyFile(built.elf, elf);
  const record: SavedBuild = { key, numbers: [...built.numbers], buildErrors: [...built.buildErrors] };
  await writeFile(meta, `${JSON.stringify(record)}\n`);
  return { ...built, elf, reused: false };
}
