// Helpers for the crash tests: a seeded random source, killing a run while a given stage runs, and
// finding processes a run left behind (by the RECOMP_* environment every stage child carries).
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunManifest } from "../../src/config/run-manifest.js";
import { recompBin } from "./fixture.js";

/** mulberry32: a small seeded generator, so a failing trial can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface KillOutcome {
  /** True when the run was SIGKILLed (false: it ended before the kill landed). */
  killed: boolean;
  stderr: string;
}

/** Starts `recomp automate`, waits until `stage` is running, then `delayMs` more, and SIGKILLs it. */
export function killDuring(cwd: string, args: string[], stage: string, delayMs: number): Promise<KillOutcome> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [recompBin, "automate", ...args], { cwd, env: { ...process.env, CI: "true" }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    let armed = false;
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!armed && stderr.includes(`${stage}: running`)) {
        armed = true;
        setTimeout(() => child.kill("SIGKILL"), delayMs);
      }
    });
    child.on("exit", (_code, signal) => done({ killed: signal === "SIGKILL", stderr }));
  });
}

/** Live processes whose environment holds `entry` (e.g. `RECOMP_RUN_ID=<id>`). */
function processesWithEnvironment(entry: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      if (readFileSync(`/proc/${name}/environ`, "latin1").split("\0").includes(entry)) found.push(Number(name));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

/** Live processes whose environment names this work root (every stage command's does). */
export function processesOfWorkRoot(workRoot: string): number[] {
  return processesWithEnvironment(`RECOMP_WORK_ROOT=${workRoot}`);
}

export async function artifactsOf(workRoot: string): Promise<string[]> {
  const manifest = JSON.parse(await readFile(join(workRoot, "run-manifest.json"), "utf8")) as RunManifest;
  return manifest.artifacts.map((a) => `${a.path} ${a.sha256} ${a.size}`);
}

/** The stage a killed run was in: the one its stage records say was interrupted. */
export async function interruptedStage(workRoot: string): Promise<string | undefined> {
  const state = JSON.parse(await readFile(join(workRoot, ".recomp/stages.json"), "utf8").catch(() => '{"stages":{}}')) as {
    stages: Record<string, { status: string }>;
  };
  return Object.entries(state.stages).find(([, record]) => record.status === "interrupted")?.[0];
}

/** The run id in the lock a killed run left (the highest-numbered lock file), if any. */
export async function lockedRunId(workRoot: string): Promise<string | undefined> {
  const state = join(workRoot, ".recomp");
  const numbers = readdirSync(state).flatMap((name) => /^lock\.(\d+)$/.exec(name)?.[1] ?? []).map(Number).sort((a, b) => b - a);
  if (numbers[0] === undefined) return undefined;
  const lock = JSON.parse(await readFile(join(state, `lock.${numbers[0]}`), "utf8")) as { run_id: string };
  return lock.run_id;
}

/** Live processes that carry a run's id (every process a run starts does). */
export function processesOfRun(runId: string): number[] {
  return processesWithEnvironment(`RECOMP_RUN_ID=${runId}`);
}

export interface WatchedRun {
  code: number | null;
  stderr: string;
  /** What `atFirstStage` returned when the run's first stage started (undefined: no stage ran). */
  seen: number[] | undefined;
}

/** Runs `recomp automate` and calls `atFirstStage` as soon as its first stage says it is running. */
export function runWatchingFirstStage(cwd: string, args: string[], atFirstStage: () => number[]): Promise<WatchedRun> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [recompBin, "automate", ...args], { cwd, env: { ...process.env, CI: "true" }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    let seen: number[] | undefined;
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (seen === undefined && /^\w+: running \(/m.test(stderr)) seen = atFirstStage();
    });
    child.on("close", (code) => done({ code, stderr, seen }));
  });
}
