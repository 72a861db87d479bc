// The demo loop (samples/demo, copied to a temp folder) under edits and kills: comment-only edits
// re-run at most the stage that reads the file, and a SIGKILL at a seeded random point of every
// stage (run included) is followed by a run that passes with byte-identical artifacts.
import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyDemo, readManifest, recomp, removeProject, stepStates } from "./fixture.js";
import { artifactsOf, interruptedStage, killDuring, processesOfWorkRoot, seededRandom } from "./crash-helpers.js";
import { requireTools } from "../helpers/tools.js";

const stagesOfDemo = ["intake", "lift", "pipeline", "build", "run", "capture", "extract_frames", "extract_audio", "hash_frames", "hash_audio", "validate", "archive"];

describe.runIf(requireTools("cc", "make", "ffmpeg", "ffprobe"))("the demo loop", () => {
  let dir: string;
  let clean: string[];
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

  it("passes with byte-identical artifacts after a SIGKILL in every stage", { timeout: 1_200_000 }, async () => {
    const workRoot = join(dir, "work");
    const random = seededRandom(0xde70);
    const landed: string[] = [];
    for (const stage of stagesOfDemo) {
      const delay = Math.floor(random() * 150);
      const outcome = await killDuring(dir, ["--config", "automation.toml", "--from", stage], stage, delay);
      if (outcome.killed) landed.push((await interruptedStage(workRoot)) ?? "between stages");
      const next = await automate();
      expect(next.code, `${stage} + ${delay} ms: ${next.stderr}`).toBe(0);
      expect(await artifactsOf(workRoot), stage).toEqual(clean);
      expect(processesOfWorkRoot(workRoot), stage).toEqual([]);
    }
    // The command stages, where children are left behind, are always hit.
    for (const stage of ["build", "run", "capture", "extract_frames", "extract_audio"]) expect(landed).toContain(stage);
    expect(landed.length).toBeGreaterThanOrEqual(10);
  });
});
