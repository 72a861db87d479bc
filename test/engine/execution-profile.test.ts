// automation.toml inputs.execution_profile (docs/runtime-core.md, "Optimisation tiers"): the emit reads it, a change
// to it re-runs the pipeline stage, and a malformed or missing one stops the run before any stage (exit 2).
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { executionProfileHeader } from "../../src/formats/execution-profile.js";
import { editConfig, makeProject, readManifest, recomp, removeProject, stepStates } from "./fixture.js";

let dir: string;
beforeEach(async () => {
  dir = await makeProject();
  await editConfig(dir, 'module_json = "module.json"', 'module_json = "module.json"\nexecution_profile = "profile.txt"');
});
afterEach(async () => {
  await removeProject(dir);
});

const automate = () => recomp(dir, ["automate", "--config", "automation.toml"]);

describe("automation.toml inputs.execution_profile", () => {
  it("is an input of the pipeline stage: unchanged it is reused, malformed it stops the run before any stage", async () => {
    await writeFile(join(dir, "profile.txt"), `${executionProfileHeader}\n`);
    expect((await automate()).code).toBe(0);
    expect(stepStates(await readManifest(dir)).pipeline).toBe("ran");
    expect((await automate()).code).toBe(0);
    expect(stepStates(await readManifest(dir)).pipeline).toBe("reused");
    await writeFile(join(dir, "profile.txt"), `${executionProfileHeader}\n0x1000 1\n0x1000 2\n`);
    const malformed = await automate();
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain(`${join(dir, "profile.txt")}:3: entry 0x1000 is not above the line before's`);
    expect(malformed.stderr).not.toMatch(/^pipeline: /m);
  });

  it("names the key when the file does not exist", async () => {
    const missing = await automate();
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("inputs.execution_profile");
  });
});
