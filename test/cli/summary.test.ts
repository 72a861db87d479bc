// What a person sees at the end of `recomp automate` without --verbose: a failed stage's reason and
// its last stderr lines; every path relative to the current folder, the HTML report included; and
// on TERM=dumb (or NO_COLOR, or a pipe) no escape sequences at all.
import { execFile } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { editConfig, makeProject, recomp, recompBin, removeProject } from "../engine/fixture.js";
import { hasTool } from "../helpers/tools.js";

const run = promisify(execFile);
const projects: string[] = [];
afterEach(async () => {
  for (const dir of projects.splice(0)) await removeProject(dir);
});

async function project(): Promise<string> {
  const dir = await makeProject();
  projects.push(dir);
  return dir;
}

/** Runs recomp on a pseudo-terminal (util-linux `script`) and returns everything it drew. */
async function onTerminal(cwd: string, args: string[], env: Record<string, string>): Promise<string> {
  const command = [process.execPath, recompBin, ...args].map((a) => `'${a}'`).join(" ");
  const { CI: _ci, ...rest } = process.env;
  const result = await run("script", ["-qefc", `stty cols 60; ${command}`, "/dev/null"], { cwd, env: { ...rest, ...env } }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
  return result.stdout;
}

describe("recomp automate's summary", () => {
  it("shows a failed stage's reason and its last stderr lines without --verbose", async () => {
    const dir = await project();
    await editConfig(dir, 'run = ["sh", "-c", "echo running; echo to-stderr >&2"]', 'run = ["sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do echo line $i >&2; done; echo segfault at 0x10 in entry >&2; exit 7"]');
    const result = await recomp(dir, ["automate"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^run failed: exited with code 7; see work\/logs\/run\.stderr\.log$/m);
    expect(result.stderr).toContain("last lines of work/logs/run.stderr.log:\n  line 4\n");
    expect(result.stderr).toContain("  segfault at 0x10 in entry\nstage failed: ");
    expect(result.stderr).not.toContain("line 3\n");
  });

  it("gives the manifest and the HTML report relative to the current folder, not the config's", async () => {
    const dir = await project();
    await mkdir(join(dir, "elsewhere"));
    const result = await recomp(join(dir, "elsewhere"), ["automate", "--config", "../automation.toml"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^passed: \d+ stages ran, 0 reused; manifest \.\.\/work\/run-manifest\.json$/m);
    expect(result.stderr).toMatch(/^report \.\.\/work\/validation\/validation-report\.html \(also \.txt, \.json\)$/m);
  });

  it.runIf(hasTool("script"))("draws the live list on a terminal, and no escape sequence with TERM=dumb or NO_COLOR", async () => {
    const dir = await project();
    const live = await onTerminal(dir, ["automate", "--no-resume"], { TERM: "xterm" });
    expect(live).toContain("\x1b[");
    // Every row of the live list fits in 59 columns (a 60-column terminal, one left free: nothing wraps).
    // eslint-disable-next-line no-control-regex -- the escape sequences are what is removed
    const rows = live.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "\n").split(/\r?\n/).filter((line) => /^[·▶✓✗■–] /.test(line));
    expect(rows.length).toBeGreaterThan(12);
    for (const row of rows) expect([...row].length, row).toBeLessThanOrEqual(59);
    expect(rows.some((row) => row.includes("…"))).toBe(true);
    const plainEnvs: Record<string, string>[] = [{ TERM: "dumb" }, { TERM: "xterm", NO_COLOR: "1" }];
    for (const env of plainEnvs) {
      const plain = await onTerminal(dir, ["automate", "--no-resume"], env);
      expect(plain).toContain("passed: ");
      expect(plain).not.toContain("\x1b");
    }
  });
});
