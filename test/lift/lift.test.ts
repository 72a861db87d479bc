// The lifter: the demo NRO (deterministic module.json, objdump-exact listing, jump tables), CFG shape, tail calls, stub mode.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { moduleJsonSchema, type IrFunction } from "../../src/config/module-json.js";
import { withFileSource } from "../../src/formats/byte-source.js";
import { parseNro } from "../../src/formats/nro.js";
import { imageFromIntake, imageFromNro, liftModule, liftProgram, moduleJsonChunks, moduleJsonText, type LiftImage } from "../../src/lift/index.js";
import { canonicalJson } from "../../src/util/canonical-json.js";
import { sha256Hex } from "../../src/util/hash.js";
import { main } from "../../src/cli/main.js";
import { requireTools } from "../helpers/tools.js";
import { objdumpWords } from "./objdump.js";

const demoNro = join(import.meta.dirname, "..", "..", "samples", "demo", "demo.nro");
const demoBase = 0x10000000n;

function rawImage(words: number[], base = 0x1000n): LiftImage {
  const bytes = new Uint8Array(words.length * 4);
  const view = new DataView(bytes.buffer);
  words.forEach((word, i) => view.setUint32(i * 4, word, true));
  return { segments: [{ name: "text", base, bytes, size: bytes.length, permissions: { read: true, write: false, execute: true } }], entry: base, symbols: [] };
}

function labelsOf(fn: IrFunction): string[] {
  return fn.blocks.map((block) => block.label);
}

describe("lifting the demo NRO", () => {
  it("writes module.json as canonical JSON with one instruction a line, read back into the same objects", async () => {
    const { module } = liftProgram({ image: await imageFromNro(demoNro, demoBase), mode: "decode" });
    expect(module.functions.length).toBeGreaterThan(1);
    const text = moduleJsonText(module);
    // Canonical: the compact sorted-key JSON of what it holds, with line breaks only between values.
    expect(text.replace(/\n/g, "")).toBe(canonicalJson(JSON.parse(text)));
    const lines = text.split("\n");
    const insns = module.functions.flatMap((fn) => fn.blocks.flatMap((block) => block.ops.filter((op) => op.op === "insn")));
    expect(lines.filter((line) => line.startsWith('["insn",'))).toHaveLength(insns.length);
    expect(lines.filter((line) => line.includes(',["insn",'))).toEqual([]);
    expect(lines.filter((line) => line.startsWith('{"blocks":'))).toHaveLength(module.functions.length);
    expect(moduleJsonSchema.parse(JSON.parse(text))).toEqual(JSON.parse(JSON.stringify(module)));
    const { functions: _functions, ...frame } = module;
    expect([...moduleJsonChunks(frame, [])].join("")).toBe(`${canonicalJson({ ...frame, functions: [] })}\n`);
  });

  it("writes the same module.json bytes twice, valid against the schema, with nothing unsupported", async () => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-lift-"));
    try {
      const image = await imageFromNro(demoNro, demoBase);
      const first = await liftModule({ image, mode: "decode", outDir: join(dir, "a") });
      const second = await liftModule({ image: await imageFromNro(demoNro, demoBase), mode: "decode", outDir: join(dir, "b") });
      const [a, b] = await Promise.all([readFile(first.modulePath), readFile(second.modulePath)]);
      expect(a.equals(b)).toBe(true);
      // Written from the decoder's objects, and from the IR objects: the same bytes.
      expect(a.toString("utf8")).toBe(moduleJsonText(first.module));
      const module = moduleJsonSchema.parse(JSON.parse(a.toString("utf8")));
      expect(first.unsupported).toEqual([]);
      expect(module.functions[0]?.name).toBe("entry");
      expect(module.segments.map((s) => [s.name, s.base, s.permissions.write])).toEqual([
        ["text", "0x10000000", false],
        ["rodata", "0x10001000", false],
        ["data", "0x10002000", true],
      ]);
      expect(await readFile(join(dir, "a", "segments", "text.bin"))).toEqual(Buffer.from(image.segments[0]?.bytes ?? []));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("splits blocks at every branch target and resolves the switch's jump table", async () => {
    const { module } = liftProgram({ image: await imageFromNro(demoNro, demoBase), mode: "decode" });
    for (const fn of module.functions) {
      const labels = new Set(labelsOf(fn));
      expect(labels.size).toBe(fn.blocks.length);
      for (const block of fn.blocks) {
        const t = block.terminator;
        const targets = t.op === "br" ? [t.target] : t.op === "br_cond" || t.op === "br_test" ? [t.then, t.else] : t.op === "br_indirect" ? t.table.map((e) => e.target) : [];
        for (const target of targets) expect(labels.has(target), `${fn.name} ${block.label} -> ${target}`).toBe(true);
      }
    }
    const tables = module.functions.flatMap((fn) => fn.blocks.map((b) => b.terminator)).filter((t) => t.op === "br_indirect");
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) expect(table.op === "br_indirect" && table.table.length).toBeGreaterThan(2);
  });

  it.runIf(requireTools("aarch64-linux-gnu-objdump"))("lists every lifted instruction exactly as objdump does", async () => {
    const image = await imageFromNro(demoNro, demoBase);
    const { module } = liftProgram({ image, mode: "decode" });
    const text = image.segments[0]?.bytes ?? new Uint8Array();
    const words = Array.from({ length: text.length / 4 }, (_, i) => new DataView(text.buffer, text.byteOffset).getUint32(i * 4, true));
    const reference = await objdumpWords(words, demoBase);
    const lifted = module.functions.flatMap((fn) => fn.blocks.flatMap((block) => block.ops)).filter((op) => op.op === "insn");
    expect(lifted.length).toBeGreaterThan(300);
    const problems = lifted
      .map((op) => ("asm" in op ? { pc: op.pc, asm: op.asm, ref: reference[Number(BigInt(op.pc) - demoBase) / 4] } : undefined))
      .filter((entry) => entry !== undefined && entry.asm !== entry.ref);
    expect(problems).toEqual([]);
  });
});

describe("lifting the intake's module.json", () => {
  it("gives the same module as lifting the NRO directly", async () => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-lift-intake-"));
    try {
      const nro = await withFileSource(demoNro, "demo.nro", parseNro);
      const file = await readFile(demoNro);
      const segments = [];
      for (const segment of nro.segments) {
        const bytes = file.subarray(segment.fileOffset, segment.fileOffset + segment.size);
        const path = `segments/demo/${segment.name}.bin`;
        await mkdir(join(dir, "segments", "demo"), { recursive: true });
        await writeFile(join(dir, path), bytes);
        segments.push({
          name: segment.name, file: path, sha256: sha256Hex(bytes), file_offset: segment.fileOffset, file_size: segment.fileSize,
          compressed: false, memory_offset: segment.memoryOffset, size: segment.size, permissions: segment.permissions,
        });
      }
      const data = nro.segments[2];
      const intake = {
        schema_version: "1", mode: "homebrew", arch: "aarch64",
        modules: [{
          name: "demo", format: "nro", input: { path: "demo.nro", sha256: sha256Hex(file), size: file.length }, build_id: nro.buildId,
          segments, bss: { memory_offset: (data?.memoryOffset ?? 0) + (data?.size ?? 0), size: nro.bssSize }, mod0: null,
          api_info: nro.apiInfo, dynstr: nro.dynstr, dynsym: nro.dynsym,
        }],
      };
      await writeFile(join(dir, "module.json"), JSON.stringify(intake));
      const viaIntake = liftProgram({ image: await imageFromIntake(join(dir, "module.json"), demoBase), mode: "decode" });
      const viaNro = liftProgram({ image: await imageFromNro(demoNro, demoBase), mode: "decode" });
      expect(viaIntake.module).toEqual(viaNro.module);
      await writeFile(join(dir, "segments", "demo", "text.bin"), Buffer.alloc(4));
      await expect(imageFromIntake(join(dir, "module.json"), demoBase)).rejects.toThrow(/does not match module.json/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("function discovery", () => {
  it("turns a b to a bl-discovered function into a tail call and keeps calls inside blocks", () => {
    // 0x1000 bl 0x100c; 0x1004 b 0x100c; 0x1008 (unreached); 0x100c ret
    const { module } = liftProgram({ image: rawImage([0x94000003, 0x14000002, 0xffffffff, 0xd65f03c0]), mode: "decode" });
    expect(module.functions.map((fn) => fn.name)).toEqual(["entry", "fn_100c"]);
    const entry = module.functions[0];
    expect(entry?.blocks.length).toBe(1);
    expect(entry?.blocks[0]?.ops.filter((op) => op.op !== "insn")).toEqual([{ op: "call", target: "fn_100c", addr: "0x100c", ret: "0x1004" }]);
    expect(entry?.blocks[0]?.terminator).toEqual({ op: "tail_call", target: "fn_100c", addr: "0x100c" });
    expect(module.unsupported).toEqual([]);
  });

  it("reports a reached unsupported word with address and encoding, and lifts it as a trap", () => {
    const { module, unsupported } = liftProgram({ image: rawImage([0xd503201f, 0x1ee02820]), mode: "decode" });
    expect(unsupported).toEqual([{ pc: "0x1004", word: "0x1ee02820", function: "entry" }]);
    expect(module.functions[0]?.blocks[0]?.terminator).toEqual({
      op: "trap",
      pc: "0x1004",
      word: "0x1ee02820",
      reason: "unsupported instruction 0x1ee02820 ((FP/SIMD, scalar)) at 0x1004 in function entry, offset 0x4 of segment text",
    });
  });

  it("names the mnemonic, the function and the input file's offset in the reason an unsupported instruction's trap gives", () => {
    const image = rawImage([0xd503201f, 0x1ee02820]);
    const segment = image.segments[0];
    if (segment !== undefined) segment.file = { label: "nxjs.nro", offset: 0x4627b8 };
    const { module } = liftProgram({ image, mode: "decode" });
    const end = module.functions[0]?.blocks[0]?.terminator;
    expect(end?.op === "trap" ? end.reason : end).toBe("unsupported instruction 0x1ee02820 ((FP/SIMD, scalar)) at 0x1004 in function entry, file offset 0x4627bc of nxjs.nro");
  });

  it("stub mode emits one returning function per entry without decoding", () => {
    const { module } = liftProgram({ image: rawImage([0xffffffff]), mode: "stub" });
    expect(module.lift_mode).toBe("stub");
    expect(module.functions).toEqual([
      { name: "entry", entry: "0x1000", blocks: [{ label: "b_1000", start: "0x1000", ops: [], terminator: { op: "ret", src: "x30" } }] },
    ]);
  });
});

describe("recomp lift", () => {
  it("exits 2 and writes nothing when the input is missing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-lift-cli-"));
    try {
      const out = join(dir, "out");
      const code = await main(["node", "recomp", "lift", "--nro", join(dir, "missing.nro"), "--base", "0x10000000", "--out", out]);
      expect(code).toBe(2);
      await expect(readFile(join(out, "module.json"))).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("lifts raw segment images given on the command line", async () => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-lift-cli-"));
    try {
      await writeFile(join(dir, "text.bin"), Buffer.from([0xc0, 0x03, 0x5f, 0xd6]));
      const out = join(dir, "out");
      const code = await main(["node", "recomp", "lift", "--segment", `text:0x2000:${join(dir, "text.bin")}:r-x`, "--entry", "0x2000", "--out", out]);
      expect(code).toBe(0);
      const module = moduleJsonSchema.parse(JSON.parse(await readFile(join(out, "module.json"), "utf8")));
      expect(module.functions[0]?.blocks[0]?.terminator).toEqual({ op: "ret", src: "x30" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
