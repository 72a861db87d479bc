// Intake's output folders are replaced whole: what a killed run left beside them is cleared, and at no point is
// the target a half-deleted folder without its marker (which the next run would refuse as not recomp's).
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commitFolder, discardFolder, intakeFolderMarker, stageFolder } from "../../src/intake/staged-folder.js";

describe("staged intake folders", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "recomp-staged-"));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function writeIntake(files: Record<string, string>): Promise<void> {
    const staged = await stageFolder(join(root, "intake"), intakeFolderMarker, "intake folder");
    for (const [name, text] of Object.entries(files)) await writeFile(join(staged.staging, name), text);
    await commitFolder(staged);
  }

  it("replaces a folder it wrote with the new one, leaving nothing beside it", async () => {
    await writeIntake({ [intakeFolderMarker]: "{}", "main.nso": "old" });
    await writeIntake({ [intakeFolderMarker]: "{}", "main.nro": "new" });
    expect((await readdir(join(root, "intake"))).sort()).toEqual(["main.nro", intakeFolderMarker]);
    expect(await readdir(root)).toEqual(["intake"]);
  });

  it("clears the staged and replaced folders a killed run left, and takes a target it had moved aside", async () => {
    // A run killed after moving the old folder aside and before renaming its staged one in.
    await mkdir(join(root, ".intake.replaced-4242"));
    await writeFile(join(root, ".intake.replaced-4242", intakeFolderMarker), "{}");
    await mkdir(join(root, ".intake.staging-4242"));
    await writeFile(join(root, ".intake.staging-4242", "half"), "");
    await writeIntake({ [intakeFolderMarker]: "{}", "main.nro": "new" });
    expect(await readdir(root)).toEqual(["intake"]);
    expect(await readFile(join(root, "intake", "main.nro"), "utf8")).toBe("new");
  });

  it("refuses a non-empty folder without the marker, and a discarded stage leaves the target as it was", async () => {
    await mkdir(join(root, "intake"));
    await writeFile(join(root, "intake", "notes.txt"), "mine");
    await expect(stageFolder(join(root, "intake"), intakeFolderMarker, "intake folder")).rejects.toThrow(/not written by recomp/);
    await rm(join(root, "intake", "notes.txt"));
    const staged = await stageFolder(join(root, "intake"), intakeFolderMarker, "intake folder");
    await discardFolder(staged);
    expect(await readdir(root)).toEqual(["intake"]);
  });
});
