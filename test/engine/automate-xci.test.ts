// recomp automate in xci mode: the intake stage reads a generated game-card image natively,
// writes the ExeFS segments and the RomFS apart, and is reused when nothing changed.
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeXciFixture } from "../../src/formats/testing/xci-fixture.js";
import { fakeKeyValues, fixtureProgram, recordFixtureProvenance } from "../fixtures/xci-case.js";
import { editConfig, makeProject, readManifest, recomp, removeProject, stepStates } from "./fixture.js";

let dir: string;

beforeEach(async () => {
  dir = await makeProject();
  const fixture = await makeXciFixture(join(dir, "inputs"), { programs: [fixtureProgram()] });
  await editConfig(dir, 'mode = "lifted"', 'mode = "xci"');
  await editConfig(dir, 'module_json = "module.json"\n', 'xci = "inputs/game.xci"\nkeys = "inputs/prod.keys"\n');
  await recordFixtureProvenance(join(dir, "provenance.toml"), [fixture.xci, fixture.keys]);
});
afterEach(async () => {
  await removeProject(dir);
});

describe("recomp automate, xci mode", () => {
  it("runs the native XCI intake, keeps RomFS under the assets root, and reuses it on a second run", async () => {
    const first = await recomp(dir, ["automate", "--config", "automation.toml"]);
    expect(first.code, first.stderr).toBe(0);
    expect(stepStates(await readManifest(dir)).intake).toBe("ran");
    const manifest = JSON.parse(await readFile(join(dir, "work", "intake", "manifest.json"), "utf8")) as { mode: string; program: { title_id: string } };
    expect(manifest.mode).toBe("xci");
    expect(manifest.program.title_id).toBe("0100000000ab0000");
    expect((await readdir(join(dir, "work", "intake", "segments"))).sort()).toEqual(["main", "subsdk0"]);
    expect(await readFile(join(dir, "work", "assets", "romfs", "readme.txt"), "utf8")).toBe("fixture romfs\n");
    const everything = `${first.stdout}${first.stderr}${await readFile(join(dir, "work", "run-manifest.json"), "utf8")}`.toLowerCase();
    for (const value of fakeKeyValues()) expect(everything).not.toContain(value);
    const second = await recomp(dir, ["automate", "--config", "automation.toml"]);
    expect(second.code, second.stderr).toBe(0);
    expect(stepStates(await readManifest(dir)).intake).toBe("reused");
  });
});
