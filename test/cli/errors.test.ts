// The command line's version flag and its --json errors (docs/cli.md, "Errors as JSON").
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recomp } from "../engine/fixture.js";

interface JsonError {
  code: string;
  message: string;
  file: string | null;
  key: string | null;
  line: number | null;
  fix: string | null;
  exit_code: number;
  problems: { code: string; key: string | null }[];
}

describe("recomp --version and --json errors", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "recomp-cli-errors-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("--version prints package.json's version", async () => {
    const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    const result = await recomp(dir, ["--version"]);
    expect(result).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it("a TOML syntax error is one JSON object on stdout naming the file, line and fix; nothing on stderr", async () => {
    await writeFile(join(dir, "automation.toml"), 'schema_version = "1"\n[inputs\n');
    const result = await recomp(dir, ["automate", "--json"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("");
    const error = JSON.parse(result.stdout) as JsonError;
    expect(error).toMatchObject({ code: "config_syntax", file: "automation.toml", line: 2, exit_code: 2 });
    expect(error.fix).not.toBeNull();
    expect(error.problems).toHaveLength(1);
  });

  it("every invalid key is a problem with its key path; --config names a folder's automation.toml", async () => {
    await writeFile(join(dir, "automation.toml"), 'schema_version = "1"\nsurprise = 1\n');
    const result = await recomp(join(dir, ".."), ["automate", "--config", dir, "--json"]);
    expect(result.code).toBe(2);
    const error = JSON.parse(result.stdout) as JsonError;
    expect(error.file).toMatch(/automation\.toml$/);
    expect(error.problems.length).toBeGreaterThan(1);
    expect(error.problems.map((p) => p.key)).toContain("surprise");
  });

  it("a usage error is a JSON object too, and the human form stays on stderr without --json", async () => {
    const json = await recomp(dir, ["automate", "--bogus", "--json"]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ code: "usage", message: "unknown option '--bogus'" });
    const human = await recomp(dir, ["automate", "--config", "missing.toml"]);
    expect(human.code).toBe(2);
    expect(human.stdout).toBe("");
    expect(human.stderr).toMatch(/^error\[input_missing\]: missing\.toml: /);
  });

  it("provenance init names every missing required flag at once, fills the title from the NRO's NACP, and checks the title id", async () => {
    const nro = resolve(import.meta.dirname, "../fixtures/libnx/simplegfx.nro");
    const missing = await recomp(dir, ["provenance", "init", nro]);
    expect(missing.code).toBe(2);
    const problems = missing.stderr.split("\n").filter((line) => line.startsWith("error[usage]")).map((line) => line.replace(/^error\[usage\]: | \(.*$/g, ""));
    expect(problems).toEqual(["--out is required", "--device is required", "--collected-at is required", "--tool-name is required", "--tool-version is required"]);
    const help = await recomp(dir, ["provenance", "init", "--help"]);
    expect(help.stdout).toMatch(/--device <device>\s+\(required\)/);
    const common = ["--device", "built here", "--collected-at", "2026-11-30", "--tool-name", "t", "--tool-version", "1"];
    const bad = await recomp(dir, ["provenance", "init", nro, "--out", "p.toml", "--title-id", "x", ...common]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error[usage]: --title-id "x" is not 16 hex digits');
    const made = await recomp(dir, ["provenance", "init", nro, "--out", "p.toml", ...common]);
    expect(made.code, made.stderr).toBe(0);
    expect(await readFile(join(dir, "p.toml"), "utf8")).toContain('[title]\nname = "simplegfx"\ntitle_id = "0000000000000000"\nversion = "1.0.0"');
  });
});
