// The emitter: byte-identical projects, escaped names, region-map checks, and the demo recompiled for real.
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { parseTomlFile } from "../../src/config/toml.js";
import { titleSchema } from "../../src/config/title.js";
import { emitProject } from "../../src/emit/index.js";
import { unitInstructionLimit } from "../../src/emit/units.js";
import { imageFromNro, liftModule, type LiftImage } from "../../src/lift/index.js";
import type { RecompError } from "../../src/util/errors.js";
import { RecompErrorList } from "../../src/util/errors.js";
import { formatReplayFile, loadInputScript } from "../../src/replay/index.js";
import { extractAudioFeatures, extractFrameFeatures, parseHashList } from "../../src/media/index.js";
import { demoVideo } from "../../scripts/demo/reference.js";
import { readGuestSource } from "../helpers/guest-source.js";
import { requireTools } from "../helpers/tools.js";

const root = join(import.meta.dirname, "..", "..");

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

function image(words: number[], symbols: LiftImage["symbols"] = []): LiftImage {
  const bytes = new Uint8Array(words.length * 4);
  words.forEach((word, i) => new DataView(bytes.buffer).setUint32(i * 4, word, true));
  const text = { name: "text", base: 0x1000n, bytes, size: bytes.length, permissions: { read: true, write: false, execute: true } };
  return { segments: [text], entry: 0x1000n, symbols };
}

describe("emitting C", () => {
  it("writes byte-identical projects for the same module", async () => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-emit-"));
    try {
      const lifted = await liftModule({ image: await imageFromNro(join(root, "samples/demo/demo.nro"), 0x10000000n), mode: "decode", outDir: join(dir, "lift") });
      const titleText = await readFile(join(root, "samples/demo/title.toml"), "utf8");
      const title = parseTomlFile(titleText, "title.toml", titleSchema).data;
      for (const out of ["a", "b"]) await emitProject({ moduleJsonPath: lifted.modulePath, outDir: join(dir, out), title });
      const [a, b] = [await listFiles(join(dir, "a")), await listFiles(join(dir, "b"))];
      expect(a).toEqual(b);
      expect(a).toContain("guest/tables.c");
      expect(a).toContain("runtime/build/objcache.sh");
      expect(a).toContain("Makefile");
      expect(a).toContain("segments/text.bin");
      for (const file of a) expect((await readFile(join(dir, "a", file))).equals(await readFile(join(dir, "b", file))), file).toBe(true);
      const guest = await readGuestSource(join(dir, "a"));
      // Registers live in C locals: x0, x1 and x30 are C arguments, the others are loaded from the shared CPU
      // state; at a return the changed ones go back to it, x0 and the return address are the C result.
      expect(guest).toMatch(/rt_return f_[0-9a-f]+\(recomp_cpu \*restrict cpu, uint64_t x0, uint64_t x1, uint64_t x30\) \{/);
      expect(guest).toMatch(/uint64_t [^;]*\b(x\d+|sp) = rt_reg\(cpu->(x\[\d+\]|sp)\)/);
      expect(guest).toMatch(/\n( {2}cpu->(x\[\d+\]|sp) = (x\d+|sp);\n)* {2}return \(rt_return\)\{x30, x0\};/);
      expect(guest).toContain('{"stack", UINT64_C(0x20000000), UINT64_C(0x40000), RT_READ | RT_WRITE, 0}');
      expect(guest).not.toContain(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.runIf(requireTools("cc"))("escapes symbol names in comments and strings so the C still compiles", async () => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-emit-"));
    try {
      const name = 'evil */ "name" ??= \\ \n ünï';
      const lifted = await liftModule({ image: image([0x94000002, 0xd65f03c0, 0xd65f03c0], [{ name, address: 0x1008n }]), mode: "decode", outDir: join(dir, "lift") });
      await emitProject({ moduleJsonPath: lifted.modulePath, outDir: join(dir, "build") });
      const guest = await readGuestSource(join(dir, "build"));
      expect(guest).toContain("/* evil *\\/ \"name\" ??= \\ ? ?n? */");
      expect(guest).toContain('"evil */ \\042name\\042 \\077\\077= \\134 \\012 \\303\\274n\\303\\257"');
      for (const unit of (await readdir(join(dir, "build", "guest"))).map((name) => join("guest", name))) {
        await execa("cc", ["-std=c99", "-Wall", "-Werror", "-fsyntax-only", "-I.", "-Iruntime/core", "-Iruntime/services", unit], { cwd: join(dir, "build") });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("compiles units at $(GUESTOPT) and a unit over the instruction limit at $(HUGEOPT)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-emit-"));
    try {
      // A call to a function of unitInstructionLimit + 4 instructions (mov x0, #1 ... ret) at 0x1008.
      const words = [0x94000002, 0xd65f03c0, ...Array.from({ length: unitInstructionLimit + 3 }, () => 0xd2800020), 0xd65f03c0];
      const lifted = await liftModule({ image: image(words, [{ name: "huge", address: 0x1008n }]), mode: "decode", outDir: join(dir, "lift") });
      await emitProject({ moduleJsonPath: lifted.modulePath, outDir: join(dir, "build") });
      const makefile = await readFile(join(dir, "build", "Makefile"), "utf8");
      const lines = makefile.split("\n");
      const rule = (unit: string): string | undefined => lines[lines.findIndex((line) => line.startsWith(`guest/${unit}.o:`)) + 1];
      const units = (await readdir(join(dir, "build", "guest"))).filter((name) => name.startsWith("u_")).map((name) => name.slice(0, -2));
      expect(units.map((unit) => [unit, /\$\((GUESTOPT|HUGEOPT)\)/.exec(rule(unit) ?? "")?.[1]])).toEqual(
        units.map((unit) => [unit, unit === "u_1008" ? "HUGEOPT" : "GUESTOPT"]),
      );
      expect(rule("tables")).toContain("$(GUESTOPT) $(HOTFLAGS)");
      // Hot code drops the check at addresses the compiler knows; the huge unit keeps it (its compile time counts).
      expect(units.map((unit) => (rule(unit) ?? "").includes("$(HOTFLAGS)"))).toEqual(units.map((unit) => unit !== "u_1008"));
      expect(makefile).toContain("GUESTOPT ?= -O2\nHOTFLAGS ?= -DRT_GUEST_KNOWN_ADDRESSES=1\nHUGEOPT ?= -Og\n");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("rejects a segment outside every region, naming the title file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-emit-"));
    try {
      const lifted = await liftModule({ image: image([0xd65f03c0]), mode: "decode", outDir: join(dir, "lift") });
      const title = parseTomlFile(
        'title = "t"\nentry = "entry"\nabi_version = "1"\n[[runtime.memory_layout.regions]]\nname = "stack"\nbase = 0x20000000\nsize = 0x1000\npermissions = "rw-"\n',
        "title.toml",
        titleSchema,
      ).data;
      const error = await emitProject({ moduleJsonPath: lifted.modulePath, outDir: join(dir, "out"), title, titleFile: "title.toml" }).catch((e: unknown) => e);
      const errors = error instanceof RecompErrorList ? error.errors : [error as RecompError];
      expect(errors.map((e) => [e.code, e.location.file, e.message])).toEqual([
        ["config_invalid", "title.toml", 'segment "text" (0x1000 + 0x4) is not inside one memory region'],
      ]);
      await expect(readdir(join(dir, "out"))).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.runIf(requireTools("cc", "make", "ffmpeg"))("the recompiled demo", () => {
  it("builds with make and reproduces the committed reference frames and audio exactly", async () => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-demo-build-"));
    try {
      const lifted = await liftModule({ image: await imageFromNro(join(root, "samples/demo/demo.nro"), 0x10000000n), mode: "decode", outDir: join(dir, "lift") });
      const title = parseTomlFile(await readFile(join(root, "samples/demo/title.toml"), "utf8"), "title.toml", titleSchema).data;
      const build = join(dir, "build");
      const emitted = await emitProject({ moduleJsonPath: lifted.modulePath, outDir: build, title });
      await execa("make", ["-s", "-C", build, "CFLAGS=-O1"]);
      const { schedule } = await loadInputScript(join(root, "samples/demo/input_script.toml"), demoVideo.fps);
      await writeFile(join(dir, "replay.txt"), formatReplayFile(schedule));
      const capture = join(dir, "capture");
      const run = await execa(join(build, emitted.executable), ["--capture-dir", capture, "--replay", join(dir, "replay.txt")], { reject: false });
      expect(run.exitCode).toBe(0);
      expect(run.stderr).toMatch(/^demo: start frames 192\n(.*\n)*demo: done frames 192$/);
      const reference = async (file: string): Promise<string[]> => {
        const path = join(root, "samples/demo/reference", file);
        return parseHashList(await readFile(path, "utf8"), path).hashes;
      };
      const profile = { sampleRate: demoVideo.sampleRate, channels: demoVideo.channels };
      expect((await extractFrameFeatures(join(capture, "frames"))).hashes).toEqual(await reference("frames.sha256"));
      expect((await extractAudioFeatures(join(capture, "audio.wav"), profile)).hashes).toEqual(await reference("audio.sha256"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
