import { access, appendFile, mkdir, writeFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { editConfig, makeProject, recomp, removeProject } from "./fixture.js";

let dir: string;

beforeEach(async () => {
  dir = await makeProject();
});
afterEach(async () => {
  await removeProject(dir);
});

async function refused(): Promise<string> {
  const result = await recomp(dir, ["automate", "--config", "automation.toml"]);
  expect(result.code).toBe(2);
  // Nothing ran and nothing was written.
  await expect(access(join(dir, "work"))).rejects.toThrow();
  return result.stderr;
}

describe("recomp automate refuses bad input with exit 2 and runs nothing", () => {
  it("malformed TOML, with line and column", async () => {
    await editConfig(dir, "[capture]", "[capture");
    expect(await refused()).toMatch(/^error\[config_syntax\]: automation\.toml:12:9: malformed TOML/m);
  });

  it("an unknown key, with a did-you-mean", async () => {
    await editConfig(dir, "work_root =", "wrok_root =");
    const stderr = await refused();
    expect(stderr).toContain('automation.toml:8: outputs.wrok_root: unknown key "wrok_root" (did you mean "work_root"?)');
    expect(stderr).toContain("outputs.work_root: is required");
  });

  it("a wrong type", async () => {
    await editConfig(dir, 'frames_dir = "work/capture/frames"', "frames_dir = 5");
    expect(await refused()).toContain("automation.toml:14: capture.frames_dir: expected string, received number");
  });

  it("an empty argv", async () => {
    await editConfig(dir, 'build = ["sh", "build.sh"]', "build = []");
    expect(await refused()).toContain("commands.build: must be a non-empty argv array");
  });

  it("a missing file, and every problem of every referenced file at once", async () => {
    await editConfig(dir, 'config = "title.toml"', 'config = "titel.toml"');
    await writeFile(join(dir, "capture_video.toml"), '[video]\npath = "elsewhere.mp4"\nwidth = 1\nheight = 1\nfps = 30\nextra = 1\n[hashes.frames]\nformat = "list"\npath = "x"\n');
    const stderr = await refused();
    expect(stderr).toContain('title config "');
    expect(stderr).toContain("titel.toml\" does not exist");
    expect(stderr).toContain('capture_video.toml:6: video.extra: unknown key "extra"');
  });

  it("capture paths that disagree after normalising", async () => {
    await writeFile(join(dir, "capture_video.toml"), '[video]\npath = "./capture/../capture/other.txt"\nwidth = 1\nheight = 1\nfps = 30\n[hashes.frames]\nformat = "list"\npath = "x"\n');
    const stderr = await refused();
    expect(stderr).toContain("capture.video_path is");
  });

  it("a hash or size mismatch against provenance", async () => {
    await writeFile(join(dir, "module.json"), JSON.stringify({ arch: "aarch64", segments: [], functions: [] }, null, 1));
    const stderr = await refused();
    expect(stderr).toContain('provenance.toml: inputs[0].size: "module.json" is 57 bytes; provenance records 47');
    expect(stderr).toContain("inputs[0].sha256");
  });

  it("an input of unknown format", async () => {
    await writeFile(join(dir, "blob.bin"), Buffer.alloc(64, 7));
    const { createHash } = await import("node:crypto");
    const digest = createHash("sha256").update(Buffer.alloc(64, 7)).digest("hex");
    await appendFile(join(dir, "provenance.toml"), `\n[[inputs]]\npath = "blob.bin"\nsha256 = "${digest}"\nsize = 64\nformat = "nso0"\nrole = "module"\n`);
    expect(await refused()).toContain('inputs[1].format: "blob.bin" is declared as nso0 but its content matches no known format');
  });

  it("an output root inside a git work tree that git does not ignore", async () => {
    await execa("git", ["init", "-q", dir]);
    const stderr = await refused();
    expect(stderr).toMatch(/outputs\.work_root "[^"]*work" lies inside the git work tree .* and is not ignored by git \(move it outside the repository, or add "work\/" to \.gitignore\)/);
    await writeFile(join(dir, ".gitignore"), "work/\n");
    expect((await recomp(dir, ["automate", "--config", "automation.toml"])).code).toBe(0);
  });

  it("a relative path that detours or climbs past the root", async () => {
    await editConfig(dir, 'work_root = "work"', 'work_root = "build/../../outside"');
    expect(await refused()).toContain('outputs.work_root: path "build/../../outside" goes into a folder and back out with ".."');
    await editConfig(dir, 'work_root = "build/../../outside"', `work_root = "${"../".repeat(40)}x"`);
    expect(await refused()).toContain("past the filesystem root");
  });

  it("a non-local execution mode, an unknown redaction profile and a malformed run window", async () => {
    await writeFile(join(dir, "automation.toml"), (await readFile(join(dir, "automation.toml"), "utf8")) + '[policy]\nexecution_mode = "cloud"\nredaction_profile = "nope"\nrun_windows = ["9-17"]\n');
    const stderr = await refused();
    expect(stderr).toContain('policy.execution_mode: execution_mode "cloud" is not available yet');
    expect(stderr).toContain('policy.redaction_profile: unknown redaction profile "nope"');
    expect(stderr).toContain('policy.run_windows[0]: run window "9-17" is not');
  });

  it("a run outside its run windows, and one that needs approval", async () => {
    const now = new Date();
    const hour = (now.getUTCHours() + 2) % 24;
    const window = `${String(hour).padStart(2, "0")}:00-${String((hour + 1) % 24).padStart(2, "0")}:00`;
    const original = await readFile(join(dir, "automation.toml"), "utf8");
    await writeFile(join(dir, "automation.toml"), `${original}[policy]\nrun_windows = ["${window}"]\n`);
    expect(await refused()).toContain("outside the allowed run windows");
    await writeFile(join(dir, "automation.toml"), `${original}[policy]\nrequires_approval = true\n`);
    expect(await refused()).toContain("policy.requires_approval: this config requires approval before it runs (pass --approve");
    await mkdir(join(dir, "unrelated"));
    expect((await recomp(dir, ["automate", "--config", "automation.toml", "--approve"])).code).toBe(0);
  });
});

describe("recomp audit", () => {
  it("finds a copy of a provenance input or an extracted asset that git would track", async () => {
    await execa("git", ["init", "-q", dir]);
    await writeFile(join(dir, ".gitignore"), "work/\n");
    const own = await recomp(dir, ["audit", "--config", "automation.toml"]);
    expect(own.code).toBe(2);
    expect(own.stderr).toContain('module.json: has the same SHA-256 as provenance input "module.json" (lifted_module)');
    const provenance = await readFile(join(dir, "provenance.toml"), "utf8");
    await writeFile(join(dir, "provenance.toml"), provenance.replace('role = "lifted_module"', 'role = "lifted_module"\nredistributable = true'));
    expect(await recomp(dir, ["audit", "--config", "automation.toml"])).toMatchObject({ code: 0 });
    await writeFile(join(dir, "provenance.toml"), provenance);
    await mkdir(join(dir, "work/assets/romfs"), { recursive: true });
    await writeFile(join(dir, "work/assets/romfs/level.bin"), "proprietary level data");
    await mkdir(join(dir, "notes"));
    await writeFile(join(dir, "notes/copy.bin"), "proprietary level data");
    await writeFile(join(dir, "notes/module-copy.json"), await readFile(join(dir, "module.json")));
    const result = await recomp(dir, ["audit", "--config", "automation.toml"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('notes/copy.bin: has the same SHA-256 as extracted asset "work/assets/romfs/level.bin"');
    expect(result.stderr).toContain('notes/module-copy.json: has the same SHA-256 as provenance input "module.json" (lifted_module)');
  });
});
