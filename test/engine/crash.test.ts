// Crash consistency: runs SIGKILLed at seeded random points in every stage are followed by runs that
// pass with byte-identical artifacts and find nothing of the killed run still running; any number of
// runs that find a stale lock together agree on exactly one owner.
import { execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { editConfig, makeProject, recomp, removeProject } from "./fixture.js";
import { artifactsOf, interruptedStage, killDuring, processesOfWorkRoot, seededRandom } from "./crash-helpers.js";

const exec = promisify(execFile);

/**
 * Each command stage first looks for processes of another run on its work root (there must be none:
 * the run that took over the lock stopped them), then leaves a child running in its process group,
 * as make or ffmpeg would, and writes its output in pieces.
 */
const stageScript = `import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
const stage = process.argv[2];
const me = process.env.RECOMP_RUN_ID;
const root = process.env.RECOMP_WORK_ROOT;
for (const pid of readdirSync("/proc").filter((n) => /^\\d+$/.test(n))) {
  let env;
  try { env = readFileSync("/proc/" + pid + "/environ", "latin1").split("\\0"); } catch { continue; }
  if (env.includes("RECOMP_WORK_ROOT=" + root) && !env.includes("RECOMP_RUN_ID=" + me)) appendFileSync("leftovers.log", stage + ": pid " + pid + " of another run\\n");
}
spawn("sleep", ["60"], { stdio: "ignore" }).unref();
const pause = () => new Promise((done) => setTimeout(done, 40));
const pieces = async (file, text) => {
  writeFileSync(file, "");
  for (const line of text.split(/(?<=\\n)/)) { appendFileSync(file, line); await pause(); }
};
if (stage === "build") { mkdirSync("work/build", { recursive: true }); await pieces("work/build/app.txt", "built\\nfor\\nthe\\nloop\\n"); }
if (stage === "run") { mkdirSync("work/run", { recursive: true }); await pieces("work/run/out.txt", "frame 1\\nframe 2\\nframe 3\\n"); }
if (stage === "capture") { mkdirSync("work/capture", { recursive: true }); await pieces("work/capture/capture.txt", readFileSync("work/run/out.txt", "utf8")); }
if (stage === "extract_frames") {
  const count = readFileSync("work/capture/capture.txt", "utf8").split("\\n").filter(Boolean).length;
  mkdirSync("work/capture/frames", { recursive: true });
  for (let i = 1; i <= count; i += 1) {
    const pixels = Buffer.alloc(4 * 2 * 3, (i * 40) & 255);
    writeFileSync("work/capture/frames/" + String(i).padStart(4, "0") + ".ppm", Buffer.concat([Buffer.from("P6\\n4 2\\n255\\n"), pixels]));
    await pause();
  }
}
`;

async function makeChaosProject(): Promise<string> {
  const dir = await makeProject();
  await writeFile(join(dir, "stage.mjs"), stageScript);
  await editConfig(dir, 'work_root = "work"', 'work_root = "work"\nrun_dir = "work/run"');
  await editConfig(dir, 'build = ["sh", "build.sh"]', 'build = ["node", "stage.mjs", "build"]');
  await editConfig(dir, 'run = ["sh", "-c", "echo running; echo to-stderr >&2"]', 'run = ["node", "stage.mjs", "run"]');
  await editConfig(dir, 'capture = ["sh", "-c", "mkdir -p work/capture && echo video > work/capture/capture.txt"]', 'capture = ["node", "stage.mjs", "capture"]');
  await editConfig(dir, 'extract_frames = ["node", "frames.mjs", "work/capture/frames", "3"]', 'extract_frames = ["node", "stage.mjs", "extract_frames"]');
  return dir;
}

const loopStages = ["pipeline", "build", "run", "capture", "extract_frames", "hash_frames", "validate", "archive"];

describe("SIGKILL at random points of every stage (seeded)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeChaosProject();
  });
  afterAll(async () => {
    await removeProject(dir);
  });

  it("each next run passes, reproduces a clean run's artifacts and finds nothing of the killed run alive", { timeout: 900_000 }, async () => {
    const workRoot = join(dir, "work");
    expect((await recomp(dir, ["automate", "--config", "automation.toml"])).code).toBe(0);
    const clean = await artifactsOf(workRoot);
    const random = seededRandom(0x5eed11);
    const landed: string[] = [];
    let kills = 0;
    for (let trial = 0; trial < 22; trial += 1) {
      const stage = loopStages[trial % loopStages.length] ?? "run";
      const delay = Math.floor(random() * 120);
      // --from: the chosen stage and every later one run (so the kill can land in it); earlier ones are reused.
      const outcome = await killDuring(dir, ["--config", "automation.toml", "--from", stage], stage, delay);
      if (outcome.killed) {
        kills += 1;
        landed.push((await interruptedStage(workRoot)) ?? "between stages");
      }
      const next = await recomp(dir, ["automate", "--config", "automation.toml"]);
      expect(next.code, `trial ${trial} (${stage} + ${delay} ms): ${next.stderr}`).toBe(0);
      expect(await artifactsOf(workRoot), `trial ${trial}`).toEqual(clean);
      expect(processesOfWorkRoot(workRoot), `trial ${trial}`).toEqual([]);
      // The stage commands of the next run found no process of the killed run on their work root.
      expect(await readFile(join(dir, "leftovers.log"), "utf8").catch(() => ""), `trial ${trial}`).toBe("");
      const manifest = JSON.parse(await readFile(join(workRoot, "run-manifest.json"), "utf8")) as { result: { status: string } };
      expect(manifest.result.status).toBe("passed");
    }
    expect(kills).toBeGreaterThanOrEqual(20);
    // Every command stage (the ones that leave children) was hit, and most internal ones.
    for (const stage of ["build", "run", "capture", "extract_frames"]) expect(landed).toContain(stage);
    expect(new Set(landed).size).toBeGreaterThanOrEqual(6);
  });

  it("a killed run's manifest says interrupted, never passed", { timeout: 120_000 }, async () => {
    const outcome = await killDuring(dir, ["--config", "automation.toml", "--force"], "run", 30);
    expect(outcome.killed).toBe(true);
    const manifest = JSON.parse(await readFile(join(dir, "work/run-manifest.json"), "utf8")) as { result: { status: string; exit_code: number } };
    expect(manifest.result).toEqual({ status: "interrupted", exit_code: 130 });
    expect((await recomp(dir, ["automate", "--config", "automation.toml"])).code).toBe(0);
  });
});

/**
 * One contender for every trial: for each state folder in turn, waits at a barrier until every contender has
 * arrived, then takes the lock and prints "won" or "held" (one line per trial). A winner keeps the lock until
 * every contender has made its attempt, so each contest is truly concurrent. One process per contender for all
 * trials: the trials cost lock attempts, not Node start-ups.
 */
const contenderScript = (lockModule: string) => `import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { acquireLock } from ${JSON.stringify(lockModule)};
const [contenders, ...stateDirs] = process.argv.slice(2);
const pause = (ms) => new Promise((done) => setTimeout(done, ms));
const count = (dir, prefix) => readdirSync(dir).filter((n) => n.startsWith(prefix)).length;
const mark = (dir, prefix) => writeFileSync(join(dir, prefix + process.pid), "");
for (const stateDir of stateDirs) {
  mark(stateDir, "arrived-");
  while (count(stateDir, "arrived-") < Number(contenders)) await pause(1);
  try {
    const lock = await acquireLock(stateDir, stateDir, crypto.randomUUID());
    mark(stateDir, "attempted-");
    for (let waited = 0; waited < 30000 && count(stateDir, "attempted-") < Number(contenders); waited += 5) await pause(5);
    await lock.release();
    process.stdout.write("won\\n");
  } catch (error) {
    mark(stateDir, "attempted-");
    process.stdout.write((error.code === "lock_held" ? "held" : "error " + error.message) + "\\n");
  }
}
`;

describe("a stale lock taken over by several runs at once", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeProject();
  });
  afterAll(async () => {
    await removeProject(dir);
  });

  /** A lock file left by a run that died: its pid is of a process that has exited. */
  async function staleLock(stateDir: string, number: number): Promise<void> {
    const dead = spawn("true");
    await new Promise((done) => dead.on("exit", done));
    await mkdir(stateDir, { recursive: true });
    await writeFile(join(stateDir, `lock.${number}`), JSON.stringify({ pid: dead.pid, start: null, run_id: randomUUID(), groups: [] }));
  }

  it("exactly one of four contenders wins, in each of 20 trials", { timeout: 300_000 }, async () => {
    const script = join(dir, "contender.mjs");
    await writeFile(script, contenderScript(resolve(import.meta.dirname, "../../dist/engine/lock.js")));
    const random = seededRandom(42);
    const stateDirs: string[] = [];
    for (let trial = 0; trial < 20; trial += 1) {
      const stateDir = join(dir, `state-${trial}`);
      await staleLock(stateDir, 1 + Math.floor(random() * 5));
      stateDirs.push(stateDir);
    }
    const outputs = await Promise.all(Array.from({ length: 4 }, () => exec(process.execPath, [script, "4", ...stateDirs]).then((r) => r.stdout.split("\n"))));
    for (const [trial, stateDir] of stateDirs.entries()) {
      const results = outputs.map((lines) => lines[trial]);
      expect(results.filter((r) => r === "won"), `trial ${trial}: ${results.join(", ")}`).toHaveLength(1);
      expect(results.filter((r) => r === "held"), `trial ${trial}: ${results.join(", ")}`).toHaveLength(3);
      expect((await readdir(stateDir)).filter((n) => n.startsWith("lock")), `trial ${trial}`).toEqual([]);
    }
  });

  it("through the CLI: one of four runs started together on a stale lock runs, the others exit 2", { timeout: 300_000 }, async () => {
    await editConfig(dir, 'run = ["sh", "-c", "echo running; echo to-stderr >&2"]', 'run = ["sleep", "2"]');
    expect((await recomp(dir, ["automate", "--config", "automation.toml"])).code).toBe(0);
    for (let trial = 0; trial < 2; trial += 1) {
      await staleLock(join(dir, "work/.recomp"), 7);
      const results = await Promise.all(Array.from({ length: 4 }, () => recomp(dir, ["automate", "--config", "automation.toml", "--from", "run"])));
      expect(results.map((r) => r.code).sort()).toEqual([0, 2, 2, 2]);
      for (const loser of results.filter((r) => r.code === 2)) expect(loser.stderr).toContain("another recomp automate (pid");
    }
  });
});
