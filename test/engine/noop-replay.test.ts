// A no-op re-run replayed from the record of the one before (src/engine/memo), driven through the real CLI:
// it prints and writes what the engine's no-op run did, under a new run id, and any change to what that
// decision read, a held lock or caching turned off hands the run to the engine.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { appendFile, chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunManifest } from "../../src/config/run-manifest.js";
import { replayNote } from "../../src/engine/memo/replayable.js";
import { processStartTime } from "../../src/engine/processes.js";
import { makeProject, readManifest, recomp, recompBin, removeProject, stepStates, type CliResult } from "./fixture.js";


interface Summary {
  run_id: string;
  steps: { name: string; status: string; cache_hit: boolean; duration_ms: number; notes: string[] }[];
}

/** The summary without what differs between two runs that decide the same: the run id, the durations, the replay's note. */
function decided(summary: Summary): unknown {
  return summary.steps.map((step) => ({ ...step, duration_ms: 0, notes: step.notes.filter((note) => note !== replayNote) }));
}

/** Whether the run was replayed (a refused run prints an error, not a summary). */
function replayed(result: CliResult): boolean {
  const summary = JSON.parse(result.stdout) as Partial<Summary>;
  return summary.steps?.some((step) => step.notes.includes(replayNote)) ?? false;
}

describe("recomp automate: replayed no-op re-runs", () => {
  let dir: string;
  let cache: string;
  const automate = (env: Record<string, string> = {}) => recomp(dir, ["automate", "--config", "automation.toml", "--json"], { RECOMP_CACHE_DIR: cache, ...env });
  /** Runs until a run is replayed (the engine records a no-op first): the record then holds. */
  const untilReplayed = async () => {
    for (let run = 0; run < 3; run += 1) if (replayed(await automate())) return;
    throw new Error("no run was replayed in three");
  };

  beforeAll(async () => {
    dir = await makeProject();
    cache = await mkdtemp(join(tmpdir(), "recomp-replay-cache-"));
  });
  afterAll(async () => {
    await removeProject(dir);
    await rm(cache, { recursive: true, force: true });
  });

  it("prints and writes what the engine's no-op run did, under a new run id", async () => {
    expect((await automate()).code).toBe(0);
    const engine = await automate();
    const engineManifest = await readManifest(dir);
    const replay = await automate();
    expect(replay.code).toBe(0);
    expect(replayed(replay)).toBe(true);
    const [before, after] = [JSON.parse(engine.stdout) as Summary, JSON.parse(replay.stdout) as Summary];
    expect(after.run_id).not.toBe(before.run_id);
    expect(decided(after)).toEqual(decided(before));
    expect(after.steps.filter((step) => step.cache_hit).every((step) => step.duration_ms === 0)).toBe(true);
    expect(replay.stderr).toBe(engine.stderr);

    const manifest = await readManifest(dir);
    expect(manifest.run_id).toBe(after.run_id);
    const comparable = (m: RunManifest) => ({ ...m, run_id: "", steps: decided(m) });
    expect(comparable(manifest)).toEqual(comparable(engineManifest));
    const index = JSON.parse(await readFile(join(dir, "work", "runs", "index.json"), "utf8")) as { runs: string[] };
    expect(index.runs.slice(-2)).toEqual([before.run_id, after.run_id]);
    expect(await readFile(join(dir, "work", "runs", after.run_id, "run-manifest.json"), "utf8")).toBe(await readFile(join(dir, "work", "run-manifest.json"), "utf8"));
    // The record renewed by the replay holds for the next one.
    expect(replayed(await automate())).toBe(true);
  });

  const changes: [string, () => Promise<void>, Record<string, string>?][] = [
    ["a comment in title.toml", () => appendFile(join(dir, "title.toml"), "# a comment\n")],
    ["an output removed", () => rm(join(dir, "work", "capture", "frames", "0002.ppm"))],
    ["a stage's program made executable", () => chmod(join(dir, "build.sh"), 0o755)],
    ["a git repository around the project", () => mkdir(join(dir, ".git"))],
    ["the environment", () => Promise.resolve(), { RECOMP_REPLAY_TEST: "1" }],
  ];
  for (const [what, change, env] of changes) {
    it(`hands the run to the engine after ${what}`, async () => {
      await untilReplayed();
      await change();
      try {
        expect(replayed(await automate(env))).toBe(false);
      } finally {
        await rm(join(dir, ".git"), { recursive: true, force: true });
      }
    });
  }

  it("never replays past another run's lock", async () => {
    await untilReplayed();
    const lock = join(dir, "work", ".recomp", "lock.1");
    await writeFile(lock, JSON.stringify({ pid: process.pid, start: processStartTime(process.pid) ?? null, run_id: "held", groups: [] }));
    try {
      const result = await automate();
      expect(result.code).toBe(2);
      expect(result.stdout).toContain("another recomp automate");
    } finally {
      await rm(lock, { force: true });
    }
  });

  it("ends with exit 3 on a closed stdout, its lock released", async () => {
    await untilReplayed();
    const child = spawn(process.execPath, [recompBin, "automate", "--config", "automation.toml", "--json"], {
      cwd: dir,
      env: { ...process.env, CI: "true", RECOMP_CACHE_DIR: cache },
      stdio: ["ignore", "pipe", "ignore"],
    });
    child.stdout.destroy();
    const [code] = (await once(child, "exit")) as [number];
    expect(code).toBe(3);
    expect((await readdir(join(dir, "work", ".recomp"))).filter((name) => name.startsWith("lock"))).toEqual([]);
    expect((await automate()).code).toBe(0);
  });

  it("records and replays nothing with RECOMP_CACHE_DIR=off", async () => {
    await untilReplayed();
    for (let i = 0; i < 2; i += 1) expect(replayed(await automate({ RECOMP_CACHE_DIR: "off" }))).toBe(false);
    expect(stepStates(await readManifest(dir)).build).toBe("reused");
  });
});
