// Bounded work on hostile input and clean exits on I/O errors: a catastrophic-backtracking redaction
// pattern, a gigabyte of output without a newline, a full disk and a closed pipe.
import { spawn } from "node:child_process";
import { mkdir, readFile, readdir, stat } from "node:fs/promises";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Redactor, redactionPatternsFor } from "../../src/engine/redact.js";
import { editConfig, makeProject, readManifest, recomp, recompBin, removeProject } from "./fixture.js";

let dir: string;
beforeEach(async () => {
  dir = await makeProject();
});
afterEach(async () => {
  await removeProject(dir);
});

const runLine = 'run = ["sh", "-c", "echo running; echo to-stderr >&2"]';
const lockFiles = async () => (await readdir(join(dir, "work/.recomp"))).filter((name) => name.startsWith("lock"));

describe("redaction", () => {
  it('matches "(a+)+b" in linear time: a long line of a\'s is logged, a match is redacted', { timeout: 60_000 }, async () => {
    await editConfig(dir, runLine, `run = ["node", "-e", "console.log('a'.repeat(200000)); console.log('x aaab y')"]`);
    await editConfig(dir, "[commands]", '[policy]\nredaction_patterns = ["(a+)+b"]\n[commands]');
    expect((await recomp(dir, ["automate", "--config", "automation.toml"])).code).toBe(0);
    expect(await readFile(join(dir, "work/logs/run.stdout.log"), "utf8")).toBe(`${"a".repeat(200000)}\nx [redacted] y\n`);
  });

  it("refuses a pattern that matches the empty string or is not RE2", async () => {
    await expect(redactionPatternsFor("none", ["x*"], "a.toml")).rejects.toThrow(/matches the empty string/);
    await expect(redactionPatternsFor("none", ["(a)\\1"], "a.toml")).rejects.toThrow(/not an RE2 regular expression/);
  });

  it("hides the home folder, never ordinary words that look like it", async () => {
    const home = process.env.HOME;
    process.env.HOME = "/root";
    try {
      const redactor = new Redactor(await redactionPatternsFor("default", [], "a.toml"));
      expect(redactor.apply("/root/x /srv/root/y rootfs root /rootless")).toBe("[redacted]/x /srv/root/y rootfs root /rootless");
    } finally {
      process.env.HOME = home;
    }
  });
});

/** Peak resident memory of a process, sampled from /proc while it runs. */
function peakRss(pid: number, until: Promise<unknown>): Promise<number> {
  let peak = 0;
  const timer = setInterval(() => {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (match?.[1] !== undefined) peak = Math.max(peak, Number(match[1]) * 1024);
    } catch {
      // Exited.
    }
  }, 50);
  return until.then(() => {
    clearInterval(timer);
    return peak;
  });
}

describe("stage output", () => {
  it("logs 1 GiB without a newline completely, with under 200 MB of memory", { timeout: 600_000 }, async () => {
    const writer = "const b = Buffer.alloc(1 << 20, 120); let n = 0; const w = () => { while (n < 1024) { n += 1; if (!process.stdout.write(b)) return process.stdout.once('drain', w); } }; w();";
    await editConfig(dir, runLine, `run = ["node", "-e", "${writer}"]`);
    const child = spawn(process.execPath, [recompBin, "automate", "--config", "automation.toml"], { cwd: dir, env: { ...process.env, CI: "true" }, stdio: "ignore" });
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    const peak = await peakRss(child.pid ?? 0, exited);
    expect(await exited).toBe(0);
    expect((await stat(join(dir, "work/logs/run.stdout.log"))).size).toBe(2 ** 30);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(200 * 2 ** 20);
  });
});

const canMountTmpfs = (await execa("unshare", ["-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"], { reject: false })).exitCode === 0;

describe("I/O errors end the run with exit 3, one line, the lock released and the state valid", () => {
  it.runIf(canMountTmpfs)("a full disk (a 1 MiB tmpfs as the work root)", { timeout: 120_000 }, async () => {
    await mkdir(join(dir, "work"));
    await editConfig(dir, runLine, 'run = ["sh", "-c", "head -c 3000000 /dev/zero > work/fill"]');
    // In a private mount namespace: the tmpfs disappears with it, so the checks run inside.
    const script = [
      'mount -t tmpfs -o size=1m tmpfs work || exit 99',
      `"${process.execPath}" "${recompBin}" automate --config automation.toml 2>stderr.txt`,
      'echo "exit=$?"',
      'ls -a work/.recomp',
      `"${process.execPath}" -e 'JSON.parse(require("fs").readFileSync("work/.recomp/stages.json", "utf8")); console.log("state=valid")'`,
    ].join("\n");
    const inside = await execa("unshare", ["-rm", "sh", "-c", script], { cwd: dir, env: { ...process.env, CI: "true" }, reject: false });
    const stderr = await readFile(join(dir, "stderr.txt"), "utf8");
    expect(inside.stdout).toContain("exit=3");
    expect(inside.stdout).not.toMatch(/\block\.\d/);
    expect(inside.stdout).toContain("state=valid");
    expect(stderr).toContain("(ENOSPC)");
    expect(stderr).not.toContain("    at ");
    expect(stderr).not.toContain("internal error");
  });

  // Where no tmpfs can be mounted (CI runners without user namespaces), the two cases below still make real
  // writes fail: a file-size limit (RLIMIT_FSIZE, `ulimit -f`) makes write(2) fail with EFBIG, /dev/full with ENOSPC.
  const underFileSizeLimit = (blocks: number, args: string[]) =>
    execa("sh", ["-c", `ulimit -f ${blocks} && exec "$0" "$@"`, process.execPath, recompBin, ...args], { cwd: dir, env: { ...process.env, CI: "true" }, reject: false });
  const stateIsValid = async () => {
    const names = await readdir(join(dir, "work/.recomp"));
    expect(names.filter((name) => name.startsWith("lock") || name.endsWith(".tmp"))).toEqual([]);
    JSON.parse(await readFile(join(dir, "work/.recomp/stages.json"), "utf8"));
  };

  it("a stage's log over the file-size limit (EFBIG): the stage fails naming the log", { timeout: 120_000 }, async () => {
    await editConfig(dir, runLine, `run = ["node", "-e", "process.stdout.write(Buffer.alloc(3000000, 120))"]`);
    const run = await underFileSizeLimit(2048, ["automate", "--config", "automation.toml"]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain("run failed: work/logs/run.stdout.log: file too large for the file system (EFBIG)\n");
    expect(run.stderr).not.toContain("    at ");
    await stateIsValid();
    const manifest = await readManifest(dir);
    expect(manifest.result).toEqual({ status: "stage_failed", exit_code: 3 });
    expect(manifest.steps.find((s) => s.name === "run")?.notes).toContain("work/logs/run.stdout.log: file too large for the file system (EFBIG)");
  });

  it("the stage records over the file-size limit (EFBIG): one line, the old records intact, the next run passes", { timeout: 120_000 }, async () => {
    expect((await recomp(dir, ["automate", "--config", "automation.toml"])).code).toBe(0);
    const full = (await stat(join(dir, "work/.recomp/stages.json"))).size;
    // Half the size the records reach: a rewrite during the forced run fails.
    const run = await underFileSizeLimit(Math.floor(full / 2 / 512), ["automate", "--config", "automation.toml", "--force"]);
    expect(run.exitCode).toBe(3);
    const errors = run.stderr.split("\n").filter((line) => line.includes("(EFBIG)"));
    expect(errors).toEqual(["error[io_error]: work/.recomp/stages.json: file too large for the file system (EFBIG)"]);
    expect(run.stderr).not.toContain("    at ");
    expect(run.stderr).not.toContain("internal error");
    await stateIsValid();
    expect((await recomp(dir, ["automate", "--config", "automation.toml"])).code).toBe(0);
  });

  it("a full device under stdout (/dev/full, ENOSPC): the --json summary is lost, so the exit is 3", { timeout: 120_000 }, async () => {
    const full = openSync("/dev/full", "w");
    try {
      const child = spawn(process.execPath, [recompBin, "automate", "--config", "automation.toml", "--json"], { cwd: dir, env: { ...process.env, CI: "true" }, stdio: ["ignore", full, "pipe"] });
      let stderr = "";
      child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((done) => child.on("close", (c) => done(c)));
      expect(code).toBe(3);
      expect(stderr.trimEnd().split("\n").at(-1)).toBe("error[io_error]: stdout: no space left on the device (ENOSPC)");
    } finally {
      closeSync(full);
    }
    await stateIsValid();
  });

  it("a closed stderr (piped into a reader that stops)", { timeout: 120_000 }, async () => {
    await editConfig(dir, runLine, 'run = ["sleep", "2"]');
    const child = spawn(process.execPath, [recompBin, "automate", "--config", "automation.toml"], { cwd: dir, env: { ...process.env, CI: "true" }, stdio: ["ignore", "ignore", "pipe"] });
    child.stderr.once("data", () => child.stderr.destroy());
    const code = await new Promise<number | null>((done) => child.on("exit", (c) => done(c)));
    expect(code).toBe(3);
    expect(await lockFiles()).toEqual([]);
    const manifest = await readManifest(dir);
    expect(manifest.result).toEqual({ status: "stage_failed", exit_code: 3 });
    expect(manifest.steps.find((s) => s.status === "failed")?.notes).toContain("aborted: the terminal output was closed (EPIPE)");
  });
});

describe("run history", () => {
  it("keeps the newest keep_runs manifests and logs, and manifest diff compares the last two", { timeout: 180_000 }, async () => {
    await editConfig(dir, "[commands]", "[run]\nkeep_runs = 2\n[commands]");
    for (let i = 0; i < 3; i += 1) expect((await recomp(dir, ["automate", "--config", "automation.toml"])).code).toBe(0);
    const runs = JSON.parse(await readFile(join(dir, "work/runs/index.json"), "utf8")) as { runs: string[] };
    expect(runs.runs).toHaveLength(2);
    expect((await readdir(join(dir, "work/runs"))).sort()).toEqual([...runs.runs, "index.json"].sort());
    const [, last] = runs.runs;
    expect(await readdir(join(dir, "work/runs", last ?? "", "logs"))).toEqual([]);
    const same = await recomp(dir, ["manifest", "diff"]);
    expect(same).toMatchObject({ code: 0, stdout: "no differences (run id, timings and replay notes ignored)\n" });
    await editConfig(dir, 'run = ["sh", "-c", "echo running;', 'run = ["sh", "-c", "echo running now;');
    expect((await recomp(dir, ["automate", "--config", "automation.toml"])).code).toBe(0);
    const first = runs.runs[1] ?? "";
    const kept = await readdir(join(dir, "work/runs", (JSON.parse(await readFile(join(dir, "work/runs/index.json"), "utf8")) as { runs: string[] }).runs[1] ?? "", "logs"));
    expect(kept.sort()).toEqual(["capture.stderr.log", "capture.stdout.log", "run.stderr.log", "run.stdout.log"]);
    expect(await readFile(join(dir, "work/runs", first, "run-manifest.json"), "utf8")).toContain(first);
    const changed = await recomp(dir, ["manifest", "diff"]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain("steps run.command:");
  });
});
