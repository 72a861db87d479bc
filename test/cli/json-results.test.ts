// `--json` on the commands that print a result: a bad input gives one JSON error object on stdout
// (docs/cli.md, "Errors as JSON") and exit 2; a good one gives the result as one JSON object.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recomp } from "../engine/fixture.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "recomp-cli-json-"));
  await writeFile(join(dir, "not-a-manifest.json"), "{}\n");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const badInputs: [string, string[]][] = [
  ["schema", ["schema", "nosuch"]],
  ["tools elf2nro", ["tools", "elf2nro", "missing.elf", "out.nro"]],
  ["audit", ["audit", "--config", "missing.toml"]],
  ["manifest diff", ["manifest", "diff", "not-a-manifest.json", "not-a-manifest.json"]],
  ["reference adopt", ["reference", "adopt", "--config", "missing.toml"]],
  ["hash-frames", ["hash-frames", "missing-frames", "--out", "a.sha256", "--capture", "c.toml"]],
  ["hash-audio", ["hash-audio", "missing.wav"]],
];

describe("--json results", () => {
  it.each(badInputs)("%s: a bad input is one JSON error object on stdout, exit 2", async (_name, args) => {
    const result = await recomp(dir, [...args, "--json"]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toBe("");
    const error = JSON.parse(result.stdout) as { code: string; message: string; exit_code: number };
    expect(error.exit_code).toBe(2);
    expect(error.message.length).toBeGreaterThan(0);
  });

  it("tools elf2nro: the NRO written, its size and segments", async () => {
    const libnx = resolve(import.meta.dirname, "../fixtures/libnx");
    const result = await recomp(dir, ["tools", "elf2nro", join(libnx, "hello-world.elf"), "hello.nro", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const packed = JSON.parse(result.stdout) as { nro: string; size: number; segments: { name: string }[] };
    expect(packed).toMatchObject({ nro: "hello.nro", size: (await readFile(join(dir, "hello.nro"))).length });
    expect(packed.segments.map((s) => s.name)).toEqual(["text", "rodata", "data"]);
  });

  it("schema NAME: the schema inside the result object; --out: the files written", async () => {
    const one = await recomp(dir, ["schema", "title", "--json"]);
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ name: "title", schema: { title: "recomp title.toml" } });
    const all = await recomp(dir, ["schema", "--out", "schemas", "--json"]);
    expect(all.code, all.stderr).toBe(0);
    const { written } = JSON.parse(all.stdout) as { written: string[] };
    expect(written).toContain(join("schemas", "automation.schema.json"));
    for (const file of written) expect(JSON.parse(await readFile(join(dir, file), "utf8"))).toHaveProperty("$schema");
  });
});
