// Builds that compile only what changed: stable units, files written only when their bytes change, and the
// object cache (runtime/build/objcache.sh) shared across work roots, each test with its own temp cache.
import { appendFile, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { emitProject } from "../../src/emit/index.js";
import { liftModule, type LiftImage } from "../../src/lift/index.js";
import { makeProject, recomp, removeProject, writeFixtureProvenance } from "../engine/fixture.js";
import { requireTools } from "../helpers/tools.js";

const functionCount = 200;

/** An entry that calls one leaf function per value; leaf i is `movz x0, #values[i]; ret`. */
function program(values: readonly number[]): LiftImage {
  const words: number[] = [];
  const leaf = (i: number): number => values.length + 1 + 2 * i;
  for (let i = 0; i < values.length; i += 1) words.push(0x94000000 | ((leaf(i) - i) & 0x3ffffff));
  words.push(0xd65f03c0);
  for (const value of values) words.push(0xd2800000 | (value << 5), 0xd65f03c0);
  const bytes = new Uint8Array(words.length * 4);
  words.forEach((word, i) => new DataView(bytes.buffer).setUint32(i * 4, word >>> 0, true));
  const text = { name: "text", base: 0x10000n, bytes, size: bytes.length, permissions: { read: true, write: false, execute: true } };
  return { segments: [text], entry: 0x10000n, symbols: [] };
}

async function fileTimes(dir: string): Promise<Map<string, number>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const times = new Map<string, number>();
  for (const entry of entries.filter((e) => e.isFile() && !e.name.endsWith(".o") && e.name !== "recomp-title")) {
    const path = join(entry.parentPath, entry.name);
    times.set(relative(dir, path), (await stat(path)).mtimeMs);
  }
  return times;
}

/** Emits `values`' program into dir/build (lifting into dir/lift) and builds it; gives the cache log's new lines. */
async function emitAndMake(dir: string, values: readonly number[], env: Record<string, string>): Promise<string[]> {
  const lifted = await liftModule({ image: program(values), mode: "decode", outDir: join(dir, "lift") });
  await emitProject({ moduleJsonPath: lifted.modulePath, outDir: join(dir, "build"), personality: "linux" });
  const log = env.RECOMP_CACHE_LOG;
  const before = await readFile(log, "utf8").catch(() => "");
  await execa("make", ["-s", "-C", join(dir, "build"), "CFLAGS=-O1"], { env });
  return (await readFile(log, "utf8").catch(() => "")).slice(before.length).split("\n").filter((line) => line !== "");
}

const units = (lines: readonly string[], kind: string): string[] => lines.filter((l) => l.startsWith(`${kind} guest/`)).map((l) => l.slice(kind.length + 1)).sort();

describe.runIf(requireTools("cc", "make"))("incremental builds", () => {
  it("recompiles exactly the unit of a changed function, nothing for an unchanged module, and reuses objects in a new work root", async () => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-incremental-"));
    try {
      const env = { RECOMP_CACHE_DIR: join(dir, "cache"), RECOMP_CACHE_LOG: join(dir, "cache.log") };
      const values = Array.from({ length: functionCount }, (_, i) => i);
      const first = await emitAndMake(join(dir, "one"), values, env);
      const guestUnits = (await readdir(join(dir, "one", "build", "guest"))).filter((name) => name.endsWith(".c"));
      expect(guestUnits.length).toBeGreaterThan(3);
      expect(units(first, "miss")).toHaveLength(guestUnits.length);

      const times = await fileTimes(join(dir, "one", "build"));
      expect(await emitAndMake(join(dir, "one"), values, env)).toEqual([]);
      expect(await fileTimes(join(dir, "one", "build"))).toEqual(times);

      const changed = values.map((value, i) => (i === 123 ? 4000 : value));
      const second = await emitAndMake(join(dir, "one"), changed, env);
      expect(second).toHaveLength(1);
      expect(units(second, "miss")).toHaveLength(1);
      const after = await fileTimes(join(dir, "one", "build"));
      expect([...after].filter(([file, time]) => times.get(file) !== time).map(([file]) => file).sort()).toEqual([...units(second, "miss"), "segments/text.bin"]);
      expect(await readFile(join(dir, "one", "build", units(second, "miss")[0] ?? ""), "utf8")).toContain("UINT64_C(0xfa0)");

      const fresh = await emitAndMake(join(dir, "two"), changed, env);
      expect(fresh.filter((line) => line.startsWith("miss"))).toEqual([]);
      expect(units(fresh, "hit")).toHaveLength(guestUnits.length);
      await execa(join(dir, "two", "build", "recomp-title"), [], { reject: false });

      // A smaller module in the same folder: the units it no longer has go, with their objects.
      const smaller = await liftModule({ image: program(values.slice(0, 20)), mode: "decode", outDir: join(dir, "small-lift") });
      const emitted = await emitProject({ moduleJsonPath: smaller.modulePath, outDir: join(dir, "one", "build"), personality: "linux" });
      const left = (await readdir(join(dir, "one", "build", "guest"))).map((name) => `guest/${name}`).sort();
      const sources = emitted.files.filter((file) => file.startsWith("guest/"));
      expect(left.filter((file) => file.endsWith(".c"))).toEqual(sources);
      for (const object of left.filter((file) => file.endsWith(".o"))) expect(sources).toContain(object.replace(/\.o$/, ".c"));
      expect(sources.length).toBeLessThan(guestUnits.length + 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("compiles nothing after a comment is added to title.toml", async () => {
    const dir = await makeProject();
    try {
      const env = { RECOMP_CACHE_DIR: join(dir, "cache"), RECOMP_CACHE_LOG: join(dir, "cache.log") };
      await liftModule({ image: program(Array.from({ length: functionCount }, (_, i) => i)), mode: "decode", outDir: dir });
      await writeFile(join(dir, "build.sh"), "make -s -C work/build\n");
      await writeFixtureProvenance(dir);
      const first = await recomp(dir, ["automate", "--config", "automation.toml"], env);
      expect(first.code, first.stderr).toBe(0);
      const compiled = (await readFile(env.RECOMP_CACHE_LOG, "utf8")).split("\n").filter((line) => line !== "");
      expect(compiled.length).toBeGreaterThan(3);
      const times = await fileTimes(join(dir, "work", "build"));

      await appendFile(join(dir, "title.toml"), "# a comment\n");
      await writeFixtureProvenance(dir);
      const again = await recomp(dir, ["automate", "--config", "automation.toml"], env);
      expect(again.code, again.stderr).toBe(0);
      expect((await readFile(env.RECOMP_CACHE_LOG, "utf8")).split("\n").filter((line) => line !== "")).toEqual(compiled);
      expect(await fileTimes(join(dir, "work", "build"))).toEqual(times);
    } finally {
      await removeProject(dir);
    }
  });
});
