// recomp deletes or overwrites only what it created: every destructive configuration found by trying
// the engine as a hostile user would is refused before anything runs, exit 2, with the victims intact.
import { mkdir, mkdtemp, readFile, readdir, symlink, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { editConfig, makeProject, recomp, removeProject } from "./fixture.js";

let dir: string;
let snapshot: Map<string, string>;

/** Every file under `root` with its content, to prove nothing was touched. */
async function contents(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out.set(join(entry.parentPath, entry.name), await readFile(join(entry.parentPath, entry.name), "latin1"));
  }
  return out;
}

beforeEach(async () => {
  dir = await makeProject();
});
afterEach(async () => {
  await removeProject(dir);
});

async function refusedIntact(): Promise<string> {
  snapshot = await contents(dir);
  const result = await recomp(dir, ["automate", "--config", "automation.toml"]);
  expect(result.code).toBe(2);
  expect(result.stderr).not.toContain("    at ");
  expect(await contents(dir)).toEqual(snapshot);
  return result.stderr;
}

describe("recomp automate never deletes or overwrites what it did not create", () => {
  it('refuses frames_dir = "." (the config folder), "/" and "/etc"', async () => {
    await editConfig(dir, 'frames_dir = "work/capture/frames"', 'frames_dir = "."');
    expect(await refusedIntact()).toMatch(/capture\.frames_dir: output folder "[^"]+" is the folder of the config file/);
    await editConfig(dir, 'frames_dir = "."', 'frames_dir = "/"');
    expect(await refusedIntact()).toContain('capture.frames_dir: output folder "/" is the filesystem root');
    await editConfig(dir, 'frames_dir = "/"', 'frames_dir = "/etc"');
    expect(await refusedIntact()).toMatch(/capture\.frames_dir: output folder "\/etc" already holds files recomp did not write \(e\.g\. "[^"]+"\)/);
  });

  it('refuses work_root = ".." (it holds the inputs) and a work root that is the home folder', async () => {
    const outer = await mkdtemp(join(tmpdir(), "recomp-outer-"));
    try {
      // The project one level down, so that ".." is a folder with the user's own files in it.
      const project = join(outer, "project");
      await execa("cp", ["-r", dir, project]);
      await writeFile(join(outer, "archive"), "the user's own file named archive\n");
      await editConfig(project, 'work_root = "work"', 'work_root = ".."');
      const result = await recomp(project, ["automate", "--config", "automation.toml"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/outputs\.work_root: output folder "[^"]+" holds the input /);
      expect(await readFile(join(outer, "archive"), "utf8")).toBe("the user's own file named archive\n");
      await editConfig(project, 'work_root = ".."', `work_root = "${process.env.HOME ?? "/root"}"`);
      const home = await recomp(project, ["automate", "--config", "automation.toml"]);
      expect(home.code).toBe(2);
      expect(home.stderr).toContain("is your home folder");
    } finally {
      await removeProject(outer);
    }
  });

  it("refuses a capture video path that names an existing file it did not write", async () => {
    await writeFile(join(dir, "holiday.txt"), "not a capture\n");
    await editConfig(dir, 'video_path = "work/capture/capture.txt"', 'video_path = "holiday.txt"');
    await writeFile(join(dir, "capture_video.toml"), (await readFile(join(dir, "capture_video.toml"), "utf8")).replace("work/capture/capture.txt", "holiday.txt"));
    expect(await refusedIntact()).toMatch(/capture\.video_path: output file "[^"]*holiday\.txt" already exists and was not written by recomp/);
  });

  it("refuses a capture hash list that would overwrite the reference's", async () => {
    await writeFile(join(dir, "capture_video.toml"), (await readFile(join(dir, "capture_video.toml"), "utf8")).replace("work/capture/frames.hashes", "reference.frames"));
    expect(await refusedIntact()).toMatch(/hashes\.frames\.path of [^:]+capture_video\.toml: output file "[^"]*reference\.frames" is an input of the run/);
  });

  it("refuses an output folder that already holds someone else's files, and a frames folder holding the work root's state", async () => {
    await mkdir(join(dir, "work/capture/frames"), { recursive: true });
    await writeFile(join(dir, "work/capture/frames/notes.txt"), "mine\n");
    expect(await refusedIntact()).toContain('capture.frames_dir: output folder "');
    await removeProject(join(dir, "work"));
    await editConfig(dir, 'frames_dir = "work/capture/frames"', 'frames_dir = "work"');
    const stderr = await refusedIntact();
    expect(stderr).toMatch(/capture\.frames_dir: folder "[^"]+work" is emptied before its stage runs but holds /);
  });

  it("checks real paths: a work root that is a symlink into a repository is refused", async () => {
    const repo = await mkdtemp(join(tmpdir(), "recomp-repo-"));
    try {
      await execa("git", ["init", "-q", repo]);
      await mkdir(join(repo, "src/engine"), { recursive: true });
      await writeFile(join(repo, "src/engine/runner.ts"), "// the user's source\n");
      await symlink(join(repo, "src/engine"), join(dir, "work"));
      const stderr = await refusedIntact();
      expect(stderr).toMatch(/outputs\.work_root "[^"]*src\/engine" lies inside the git work tree/);
      expect(await readdir(join(repo, "src/engine"))).toEqual(["runner.ts"]);
    } finally {
      await removeProject(repo);
    }
  });

  it("re-runs over its own outputs, also after a run was cut short", async () => {
    expect((await recomp(dir, ["automate", "--config", "automation.toml"])).code).toBe(0);
    expect(JSON.parse(await readFile(join(dir, "work/.recomp/owned.json"), "utf8"))).toMatchObject({ version: 1 });
    expect((await recomp(dir, ["automate", "--config", "automation.toml", "--force"])).code).toBe(0);
  });
});

describe("pre-flight names what cannot run", () => {
  it("a stage program that is missing or not executable, and a timeout out of range", async () => {
    await writeFile(join(dir, "build.sh"), "#!/bin/sh\necho hi\n");
    await editConfig(dir, 'build = ["sh", "build.sh"]', 'build = ["./build.sh"]');
    await editConfig(dir, 'capture = ["sh"', 'capture = ["no-such-program-recomp"');
    await writeFile(join(dir, "automation.toml"), `${await readFile(join(dir, "automation.toml"), "utf8")}[run]\nstage_timeout_minutes = 36000\n`);
    const stderr = await refusedIntact();
    expect(stderr).toContain("stage_timeout_minutes: stage_timeout_minutes must be at most 35791 minutes");
    await writeFile(join(dir, "automation.toml"), (await readFile(join(dir, "automation.toml"), "utf8")).replace("36000", "10"));
    const programs = await refusedIntact();
    expect(programs).toContain('commands.build: program "./build.sh" is not executable (chmod +x it');
    expect(programs).toContain('commands.capture: program "no-such-program-recomp" was not found on PATH');
  });

  it("a garbage line in a reference hash list, and a keyset line, with file:line", async () => {
    const list = await readFile(join(dir, "reference.frames"), "utf8");
    await writeFile(join(dir, "reference.frames"), `${list.trim()}\nnot a hash\n`);
    expect(await refusedIntact()).toMatch(/reference\.frames:4: /);
    await writeFile(join(dir, "reference.frames"), list);
    const keys = "header_key = 00112233445566778899aabbccddeeff\nthis line is broken\n";
    await writeFile(join(dir, "bad.keys"), keys);
    const digest = createHash("sha256").update(keys).digest("hex");
    await writeFile(
      join(dir, "provenance.toml"),
      `${await readFile(join(dir, "provenance.toml"), "utf8")}\n[[inputs]]\npath = "bad.keys"\nsha256 = "${digest}"\nsize = ${keys.length}\nformat = "keyset"\nrole = "keys"\n`,
    );
    const stderr = await refusedIntact();
    expect(stderr).toContain("bad.keys:2: not a `name = hex` key line");
    expect(stderr).not.toContain("magic numbers");
  });
});
