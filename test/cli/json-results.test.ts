// `--json` on the commands that print a result: a bad input gives one JSON error object on stdout
// (docs/cli.md, "Errors as JSON") and exit 2; a good one gives the result as one JSON object. Both are
// checked against the command's schema (src/config/cli-results.ts), the one `recomp schema` ships.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonErrorSchema, resultSchemas } from "../../src/config/cli-results.js";
import { irVersion } from "../../src/config/ir-names.js";
import { recomp } from "../engine/fixture.js";
import { requireTools } from "../helpers/tools.js";

const repo = resolve(import.meta.dirname, "../..");
const libnx = join(repo, "test/fixtures/libnx");
const demoScript = join(repo, "samples/demo/input_script.toml");

/** The smallest module.json emit accepts: one function whose only block traps. */
const trapModule = {
  arch: "aarch64",
  ir_version: irVersion,
  entry: "0x10000000",
  segments: [],
  functions: [{ name: "entry", entry: "0x10000000", blocks: [{ label: "b_10000000", start: "0x10000000", ops: [], terminator: ["trap", "0x10000000", "end"] }] }],
};

/** A capture folder as the runtime writes it: one frame, a WAV without samples, a replay log. */
async function runFolder(name: string, frame: string, log: string): Promise<void> {
  await mkdir(join(dir, name, "frames"), { recursive: true });
  await writeFile(join(dir, name, "frames", "frame_000000.ppm"), frame);
  const wav = Buffer.alloc(44);
  wav.write("RIFF", 0, "latin1");
  wav.writeUInt32LE(36, 4);
  wav.write("WAVEfmt ", 8, "latin1");
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(2, 22);
  wav.writeUInt32LE(48000, 24);
  wav.writeUInt32LE(192000, 28);
  wav.writeUInt16LE(4, 32);
  wav.writeUInt16LE(16, 34);
  wav.write("data", 36, "latin1");
  await writeFile(join(dir, name, "audio.wav"), wav);
  await writeFile(join(dir, name, "replay-log.jsonl"), log);
}

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "recomp-cli-json-"));
  await writeFile(join(dir, "not-a-manifest.json"), "{}\n");
  await writeFile(join(dir, "module.json"), JSON.stringify(trapModule));
  await writeFile(join(dir, "broken.toml"), "title = [\n");
  await runFolder("reference-run", "P3\n1 1\n255\n0 0 0\n", '{"frame":0,"kind":"marker","name":"start"}\n{"frame":1,"kind":"exit"}\n');
  await runFolder("compared-run", "P3\n1 1\n255\n0 0 1\n", '{"frame":0,"kind":"marker","name":"start"}\n{"frame":2,"kind":"exit"}\n');
  await mkdir(join(dir, "no-wav-data"), { recursive: true });
  await writeFile(join(dir, "no-wav-data", "audio.wav"), "RIFF\0\0\0\0WAVE");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type ResultCommand = keyof typeof resultSchemas;

const badInputs: [ResultCommand, string[]][] = [
  ["schema", ["schema", "nosuch"]],
  ["tools elf2nro", ["tools", "elf2nro", "missing.elf", "out.nro"]],
  ["audit", ["audit", "--config", "missing.toml"]],
  ["manifest diff", ["manifest", "diff", "not-a-manifest.json", "not-a-manifest.json"]],
  ["reference adopt", ["reference", "adopt", "--config", "missing.toml"]],
  ["hash-frames", ["hash-frames", "missing-frames", "--out", "a.sha256", "--capture", "c.toml"]],
  ["hash-audio", ["hash-audio", "missing.wav"]],
  ["emit", ["emit", "--module", "missing.json", "--out", "c-missing"]],
  ["normalize", ["normalize", "--input", "in.mkv"]],
  ["provenance init", ["provenance", "init", "missing.nro", "--title-id", "x"]],
  ["reference emulate", ["reference", "emulate", "--module", "module.json", "--title", "broken.toml", "--input-script", "s.toml", "--out", "e"]],
  ["reference compare", ["reference", "compare", "--reference", "no-wav-data", "--run", "compared-run"]],
  ["replay convert", ["replay", "convert", "broken.toml", "--out", "r.txt"]],
  ["replay run", ["replay", "run", "--script", "broken.toml", "--json", "--", "true"]],
];

/** stdout as one object of `command`'s result schema (parse throws, naming the key, on anything else). */
function resultOf<C extends ResultCommand>(command: C, stdout: string) {
  return resultSchemas[command].parse(JSON.parse(stdout)) as ReturnType<(typeof resultSchemas)[C]["parse"]>;
}

describe("--json results", () => {
  it.concurrent.each(badInputs)("%s: a bad input is one JSON error object on stdout, exit 2", async (_name, args) => {
    const result = await recomp(dir, args.includes("--json") ? args : [...args, "--json"]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toBe("");
    const error = jsonErrorSchema.parse(JSON.parse(result.stdout));
    expect(error.exit_code).toBe(2);
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.problems[0]?.code).toBe(error.code);
  });

  it("tools elf2nro: the NRO written, its size and segments", async () => {
    const result = await recomp(dir, ["tools", "elf2nro", join(libnx, "hello-world.elf"), "hello.nro", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const packed = resultOf("tools elf2nro", result.stdout);
    expect(packed).toMatchObject({ nro: "hello.nro", size: (await readFile(join(dir, "hello.nro"))).length });
    expect(packed.segments.map((s) => s.name)).toEqual(["text", "rodata", "data"]);
  });

  it("schema NAME: the schema inside the result object; --out: the files written", async () => {
    const one = await recomp(dir, ["schema", "title", "--json"]);
    expect(one.code, one.stderr).toBe(0);
    expect(resultOf("schema", one.stdout)).toMatchObject({ name: "title", schema: { title: "recomp title.toml" } });
    const all = await recomp(dir, ["schema", "--out", "schemas", "--json"]);
    expect(all.code, all.stderr).toBe(0);
    const { written } = resultOf("schema", all.stdout) as { written: string[] };
    expect(written).toContain(join("schemas", "automation.schema.json"));
    expect(written).toContain(join("schemas", "result-replay-run.schema.json"));
    for (const file of written) expect(JSON.parse(await readFile(join(dir, file), "utf8"))).toHaveProperty("$schema");
  });

  it("emit: the project's files, its program and how to build it", async () => {
    const result = await recomp(dir, ["emit", "--module", "module.json", "--out", "c", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const emitted = resultOf("emit", result.stdout);
    expect(emitted).toMatchObject({ out: "c", executable: "recomp-title", build_command: ["make", "-C", "c"], warnings: [] });
    expect(emitted.files).toContain("Makefile");
  });

  it("provenance init: the file written and the title read from the NRO's NACP", async () => {
    const flags = ["--device", "test", "--collected-at", "2026-01-01", "--tool-name", "test", "--tool-version", "1", "--json"];
    const result = await recomp(dir, ["provenance", "init", join(libnx, "hello-world.nro"), "--out", "provenance.toml", ...flags]);
    expect(result.code, result.stderr).toBe(0);
    expect(resultOf("provenance init", result.stdout)).toEqual({
      written: "provenance.toml",
      inputs: 1,
      title: { name: "hello-world", id: "0000000000000000", version: "1.0.0" },
      warnings: [],
    });
  });

  it("reference compare: where two runs part, exit 1", async () => {
    const result = await recomp(dir, ["reference", "compare", "--reference", "reference-run", "--run", "compared-run", "--json"]);
    expect(result.code, result.stderr).toBe(1);
    const compared = resultOf("reference compare", result.stdout);
    expect(compared.same).toBe(false);
    expect(compared.frames).toMatchObject({ reference: 1, run: 1, first: { index: 0 } });
    expect(compared.audio).toEqual({ reference: 0, run: 0, first: null });
    expect(compared.log.first).toEqual({ index: 1, reference: { frame: 1, kind: "exit" }, run: { frame: 2, kind: "exit" } });
  });

  it("replay convert: the replay file written, its events and markers", async () => {
    const result = await recomp(dir, ["replay", "convert", demoScript, "--out", "replay.txt", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const converted = resultOf("replay convert", result.stdout);
    expect(converted).toMatchObject({ written: "replay.txt", fps: 30 });
    const lines = (await readFile(join(dir, "replay.txt"), "utf8")).trim().split("\n");
    expect(converted.events + converted.markers).toBe(lines.length - 1);
  });

  it("replay run: the program's stdout goes to stderr, stdout holds only the result, the exit code is the program's", async () => {
    const program = ["sh", "-c", 'echo "program output $1 $2"; exit 4', "sh"];
    const result = await recomp(dir, ["replay", "run", "--script", demoScript, "--json", "--", ...program]);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^program output --replay \S+replay\.txt$/m);
    expect(resultOf("replay run", result.stdout)).toEqual({ command: program, exit_code: 4, script: demoScript, fps: 30, events: 21 });
  });

  it.runIf(requireTools("ffmpeg"))("normalize: the output, its record and the ffmpeg command", async () => {
    await execa("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-t", "0.3", "-y", join(dir, "source.mkv")]);
    const result = await recomp(dir, ["normalize", "--input", "source.mkv", "--output", "normalized.mkv", "--width", "32", "--height", "24", "--fps", "10", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const normalized = resultOf("normalize", result.stdout);
    expect(normalized).toMatchObject({ output: "normalized.mkv", record: "normalized.mkv.normalize.json" });
    expect(normalized.ffmpeg_command[0]).toMatch(/ffmpeg$/);
  });
});
