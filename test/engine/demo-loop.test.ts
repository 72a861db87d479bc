// The demo loop (samples/demo, copied to a temp folder) under edits and kills: comment-only edits
// re-run at most the stage that reads the file, and 24 SIGKILLs at seeded random points spread over
// every stage (run included) are each followed by a run that passes with byte-identical artifacts
// and finds nothing of the killed run alive when its first stage starts. Each killed run starts
// `--from` the chosen stage, so earlier stages are reused; the stage it interrupted re-runs and
// (its outputs byte-identical) nothing after it: each trial costs two short runs.
import { appendFile, utimes } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyDemo, readManifest, recomp, removeProject, stepStates } from "./fixture.js";
import { artifactsOf, interruptedStage, killDuring, lockedRunId, processesOfRun, processesOfWorkRoot, runWatchingFirstStage, seededRandom } from "./crash-helpers.js";
import { requireTools } from "../helpers/tools.js";

const stagesOfDemo = ["intake", "lift", "pipeline", "build", "run", "capture", "extract_frames", "extract_audio", "hash_frames", "hash_audio", "validate", "archive"];

describe.runIf(requireTools("cc", "make", "ffmpeg", "ffprobe"))("the demo loop", () => {
  let dir: string;
  let clean: string[];
  const cleanDurations = new Map<string, number>();
  const automate = (...extra: string[]) => recomp(dir, ["automate", "--config", "automation.toml", ...extra]);
  beforeAll(async () => {
    dir = await copyDemo();
  });
  afterAll(async () => {
    await removeProject(dir);
  });

  it("re-runs at most the stage that reads a file whose only change is a comment", { timeout: 600_000 }, async () => {
    expect((await automate()).code).toBe(0);
    clean = await artifactsOf(join(dir, "work"));
    for (const step of (await readManifest(dir)).steps) cleanDurations.set(step.name, step.duration_ms);
    const reused = Object.fromEntries(stagesOfDemo.map((s) => [s, "reused"]));
    const expectRan = async (ran: string[]) => {
      const states = stepStates(await readManifest(dir));
      const expected = { ...reused, analysis: "skipped", emulate_reference: "skipped", ...Object.fromEntries(ran.map((s) => [s, "ran"])) };
      expect(states).toEqual(expected);
    };
    await appendFile(join(dir, "title.toml"), "# a comment\n");
    expect((await automate()).code).toBe(0);
    await expectRan(["pipeline"]);
    const pipeline = (await readManifest(dir)).steps.find((s) => s.name === "pipeline");
    expect(pipeline?.notes[0]).toMatch(/^ran: changed: file title\.toml [0-9a-f]{12}… -> [0-9a-f]{12}…$/);
    expect(pipeline?.notes).toContain("outputs byte-identical to the previous run: later stages are not re-run for it");
    await appendFile(join(dir, "automation.toml"), "# a comment\n");
    expect((await automate()).code).toBe(0);
    await expectRan([]);
    await appendFile(join(dir, "input_script.toml"), "# a comment\n");
    expect((await automate()).code).toBe(0);
    await expectRan(["run"]);
    expect(await artifactsOf(join(dir, "work"))).toEqual(clean);
  });

  it("passes with byte-identical artifacts after 24 seeded SIGKILLs spread over every stage", { timeout: 600_000 }, async () => {
    const workRoot = join(dir, "work");
    const seed = 0xde70;
    const random = seededRandom(seed);
    const landed: string[] = [];
    let leftBehind = 0;
    for (let trial = 0; trial < 2 * stagesOfDemo.length; trial += 1) {
      const stage = stagesOfDemo[trial % stagesOfDemo.length] ?? "run";
      // A point inside the stage as long as it took in the clean run (the kill may land in a later one).
      const delay = Math.floor(random() * (cleanDurations.get(stage) ?? 100));
      // make has work to do (as after an edit), or it would finish before the kill: a header every object depends on is newer.
      if (stage === "build") await utimes(join(workRoot, "build/layout.h"), new Date(Date.now() + 1000), new Date(Date.now() + 1000));
      // --from: the chosen stage and every later one run, so the kill can land in any of them.
      const outcome = await killDuring(dir, ["--config", "automation.toml", "--from", stage], stage, delay);
      const killedRun = await lockedRunId(workRoot);
      const alive = killedRun === undefined ? [] : processesOfRun(killedRun);
      leftBehind += alive.length;
      const where = outcome.killed ? ((await interruptedStage(workRoot)) ?? "between stages") : "not killed (the run ended first)";
      if (outcome.killed) landed.push(where);
      // The next run: when its first stage starts, nothing of the killed run may be running any more.
      const next = await runWatchingFirstStage(dir, ["--config", "automation.toml"], () => (killedRun === undefined ? [] : processesOfRun(killedRun)));
      const ran = stepStates(await readManifest(dir));
      console.log(
        `seed ${seed.toString(16)} trial ${trial}: --from ${stage}, kill after ${delay} ms -> ${where}; ${alive.length} processes of it alive; ` +
          `next run re-ran ${Object.keys(ran).filter((s) => ran[s] === "ran").join(", ") || "nothing"}`,
      );
      expect(next.code, `trial ${trial} (${stage} + ${delay} ms): ${next.stderr}`).toBe(0);
      // Early cutoff: the interrupted stage re-runs, its outputs come out byte-identical, nothing after it runs.
      if (outcome.killed && where !== "between stages") expect(Object.keys(ran).filter((s) => ran[s] === "ran"), `trial ${trial}`).toEqual([where]);
      expect(next.seen ?? [], `trial ${trial}: processes of the killed run alive when the next run's first stage started`).toEqual([]);
      expect(await artifactsOf(workRoot), `trial ${trial}`).toEqual(clean);
      expect(processesOfWorkRoot(workRoot), `trial ${trial}`).toEqual([]);
    }
    expect(landed.length).toBeGreaterThanOrEqual(20);
    // The command stages, where children are left behind, are always hit; so are most internal ones.
    for (const stage of ["build", "run", "capture", "extract_frames", "extract_audio"]) expect(landed).toContain(stage);
    expect(new Set(landed).size).toBeGreaterThanOrEqual(9);
    // Killed runs did leave processes behind (make, cc, ffmpeg, the runtime): the check above is not vacuous.
    expect(leftBehind).toBeGreaterThan(0);
  });
});
