// The prior art's module.json: every op converts to our IR, a module runs end to end, bad input is located.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { priorModuleJsonSchema, type PriorModuleJson } from "../../src/config/prior-module-json.js";
import { emitProject, loadModuleJson } from "../../src/emit/index.js";
import { moduleFromPriorIr } from "../../src/lift/from-prior-ir.js";
import { asRecompErrors } from "../../src/util/errors.js";
import { makeProject, recomp, removeProject, writeFixtureProvenance } from "../engine/fixture.js";
import { readGuestSource } from "../helpers/guest-source.js";
import { requireTools } from "../helpers/tools.js";

const prior = (data: unknown): PriorModuleJson => priorModuleJsonSchema.parse(data);
const binary = ["add_i64", "sub_i64", "and_i64", "or_i64", "xor_i64", "lsl_i64", "lsr_i64", "asr_i64"];
const sizes = ["i8", "i16", "i32", "i64"];

async function withDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "recomp-prior-ir-"));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("moduleFromPriorIr", () => {
  it("converts every linear op kind", () => {
    const ops = [
      { op: "const_i64", dst: "x0", imm: -1 },
      { op: "mov_i64", dst: "x1", src: "x0" },
      ...binary.map((op) => ({ op, dst: "x2", lhs: "x0", rhs: "x1" })),
      ...["cmp_i64", "cmn_i64", "test_i64"].map((op) => ({ op, lhs: "x0", rhs: "x1" })),
      { op: "pc_rel", dst: "x3", pc: 0x1000, offset: -16 },
      ...sizes.map((size, i) => (i === 0 ? { op: `load_${size}`, dst: "x4", addr: "x3" } : { op: `load_${size}`, dst: "x4", addr: "x3", offset: 8 })),
      ...sizes.map((size) => ({ op: `store_${size}`, src: "x4", addr: "x3", offset: 4 })),
      { op: "call", target: "g" },
      { op: "syscall", name: "svcGetSystemTick", args: [] },
      { op: "syscall", name: "svc_output_debug_string", args: ["x3", "x5"] },
      { op: "ret" },
      { op: "const_i64", dst: "imm0", imm: 7 },
      { op: "add_i64", dst: "x6", lhs: "x6", rhs: "imm0" },
      { op: "ret" },
    ];
    const { module, warnings } = moduleFromPriorIr(prior({ arch: "aarch64", functions: [{ name: "entry", ops }, { name: "g", ops: [{ op: "ret" }] }] }));
    expect(warnings).toEqual([]);
    expect(module.entry).toBe("0xffff000000000000");
    expect(module.segments).toEqual([]);
    const [f, g] = module.functions;
    expect(g).toEqual({ name: "g", entry: "0xffff000001000000", blocks: [{ label: "b_ffff000001000000", start: "0xffff000001000000", ops: [], terminator: { op: "ret", src: "x30" } }] });
    expect(f?.entry).toBe("0xffff000000000000");
    expect(f?.blocks.map((b) => [b.label, b.start, b.terminator])).toEqual([
      ["b_ffff000000000000", "0xffff000000000000", { op: "ret", src: "x30" }],
      ["b_ffff000000000068", "0xffff000000000068", { op: "ret", src: "x30" }],
    ]);
    expect(f?.blocks[0]?.ops).toEqual([
      { op: "const_i64", dst: "x0", imm: "0xffffffffffffffff" },
      { op: "mov_i64", dst: "x1", src: "x0" },
      ...binary.map((op) => ({ op, dst: "x2", lhs: "x0", rhs: "x1" })),
      ...["cmp_i64", "cmn_i64", "test_i64"].map((op) => ({ op, lhs: "x0", rhs: "x1" })),
      { op: "const_i64", dst: "x3", imm: "0xff0" },
      ...sizes.map((size, i) => ({ op: `load_${size}`, dst: "x4", addr: "x3", offset: i === 0 ? 0 : 8 })),
      ...sizes.map((size) => ({ op: `store_${size}`, src: "x4", addr: "x3", offset: 4 })),
      // op 22: the return address is the next op's word
      { op: "call", target: "g", addr: "0xffff000001000000", ret: "0xffff00000000005c" },
      { op: "svc", imm: 0x1e },
      { op: "mov_i64", dst: "x0", src: "x3" },
      { op: "mov_i64", dst: "x1", src: "x5" },
      { op: "svc", imm: 0x27 },
    ]);
    // The named temporary becomes t0.
    expect(f?.blocks[1]?.ops).toEqual([
      { op: "const_i64", dst: "t0", imm: "0x7" },
      { op: "add_i64", dst: "x6", lhs: "x6", rhs: "t0" },
    ]);
  });

  it("converts decoded blocks, terminators, segments, and lifts an unknown syscall as a trap", () => {
    const { module, warnings } = moduleFromPriorIr(
      prior({
        arch: "aarch64",
        segments: [{ name: "data", base: 4096, size: 8, permissions: { read: true, write: true, execute: false }, init_path: "data.bin", init_size: 4, zero_fill: true }],
        functions: [
          {
            name: "fn_0000000000000100",
            blocks: [
              { label: "bb_f0", start: 0xf0, ops: [{ op: "syscall", name: "svc_log", args: ["x2"] }, { op: "ret" }], terminator: { op: "ret" } },
              { label: "bb_100", start: 0x100, ops: [{ op: "cmp_i64", lhs: "x0", rhs: "x1" }], terminator: { op: "br_cond", cond: "hi", then: "bb_f0", else: "bb_104" } },
              { label: "bb_104", start: 0x104, terminator: { op: "call", target: "leaf", next: "bb_108" } },
              { label: "bb_108", start: 0x108, ops: [], terminator: { op: "br", target: "bb_10c" } },
              { label: "bb_10c", start: 0x10c, ops: [], terminator: { op: "br_indirect", reg: "x16" } },
            ],
          },
          { name: "leaf", blocks: [{ label: "l", start: 0x200, ops: [], terminator: { op: "ret" } }] },
        ],
      }),
      { file: "module.json" },
    );
    expect(module.segments).toEqual([
      { name: "data", base: "0x1000", size: 8, permissions: { read: true, write: true, execute: false }, init_path: "data.bin", init_size: 4, zero_fill: 4 },
    ]);
    expect(module.entry).toBeUndefined();
    const fn = module.functions[0];
    expect(fn?.entry).toBe("0x100");
    expect(fn?.blocks).toEqual([
      { label: "b_f0", start: "0xf0", ops: [], terminator: { op: "trap", pc: "0xf0", reason: "prior-art syscall svc_log has no recomp service" } },
      { label: "b_100", start: "0x100", ops: [{ op: "cmp_i64", lhs: "x0", rhs: "x1" }], terminator: { op: "br_cond", cond: "hi", then: "b_f0", else: "b_104" } },
      { label: "b_104", start: "0x104", ops: [{ op: "call", target: "leaf", addr: "0x200", ret: "0x108" }], terminator: { op: "br", target: "b_108" } },
      { label: "b_108", start: "0x108", ops: [], terminator: { op: "br", target: "b_10c" } },
      { label: "b_10c", start: "0x10c", ops: [], terminator: { op: "br_indirect", src: "x16", table: [] } },
    ]);
    expect(warnings.map((w) => [w.location.keyPath, w.location.file])).toEqual([["functions[0].blocks[0].ops[0].name", "module.json"]]);
  });

  it("reports every construct it cannot represent with function, op index and field", () => {
    const bad = prior({
      arch: "aarch64",
      segments: [{ name: "d", base: 0, size: 4, permissions: { read: true, write: false, execute: false }, init_path: "d.bin" }],
      functions: [
        {
          name: "f",
          ops: [
            { op: "const_i64", dst: "x31", imm: 1 },
            { op: "br", target: "nowhere" },
            { op: "call", target: "missing" },
            { op: "add_i64", dst: "x0", lhs: "tmp9", rhs: "x1" },
            { op: "ret" },
          ],
        },
        { name: "g", blocks: [{ label: "a", start: 0, ops: [{ op: "ret" }], terminator: { op: "br_cond", cond: "always", then: "a", else: "a" } }] },
      ],
    });
    let thrown: unknown;
    try {
      moduleFromPriorIr(bad, { file: "m.json" });
    } catch (error) {
      thrown = error;
    }
    const errors = asRecompErrors(thrown);
    expect(errors.map((e) => e.location.keyPath).sort()).toEqual([
      "functions[0].ops[0].dst",
      "functions[0].ops[1].target",
      "functions[0].ops[2].target",
      "functions[0].ops[3].lhs",
      "functions[1].blocks[0].ops[0].op",
      "functions[1].blocks[0].terminator.cond",
      "segments[0].init_size",
    ]);
    expect(errors.every((e) => e.location.file === "m.json" && e.code === "format_unsupported")).toBe(true);
    expect(errors.find((e) => e.location.keyPath === "functions[0].ops[3].lhs")?.message).toBe('function "f", op 3: temporary "tmp9" is read before it is written in this op list');
  });

  it("rejects other shapes at the schema with key paths (externally tagged ops, inexact numbers)", async () => {
    await withDir(async (dir) => {
      const file = join(dir, "module.json");
      await writeFile(file, '{"arch":"aarch64","functions":[{"name":"entry","ops":[{"ConstI64":{"dst":"x0","imm":1}},{"op":"const_i64","dst":"x0","imm":9223372036854775807}]}]}');
      const errors = await loadModuleJson(file).then(() => [], asRecompErrors);
      expect(errors.map((e) => e.location.keyPath)).toEqual(["functions[0].ops[0]", "functions[0].ops[1].imm"]);
    });
  });
});

/** 5 loaded from the data segment, summed 5+4+3+2+1 in a loop, doubled by a call, stored and reloaded: exit status 30. */
const runnable = {
  arch: "aarch64",
  segments: [{ name: "data", base: 4096, size: 16, permissions: { read: true, write: true, execute: false }, init_path: "data.bin", init_size: 4, zero_fill: true }],
  functions: [
    { name: "double", ops: [{ op: "add_i64", dst: "x0", lhs: "x0", rhs: "x0" }, { op: "ret" }] },
    {
      name: "entry",
      blocks: [
        { label: "start", start: 0x4000, ops: [{ op: "const_i64", dst: "x1", imm: 4096 }, { op: "load_i32", dst: "x2", addr: "x1", offset: 0 }, { op: "const_i64", dst: "x0", imm: 0 }], terminator: { op: "br", target: "loop" } },
        {
          label: "loop",
          start: 0x4010,
          ops: [
            { op: "add_i64", dst: "x0", lhs: "x0", rhs: "x2" },
            { op: "const_i64", dst: "one", imm: 1 },
            { op: "sub_i64", dst: "x2", lhs: "x2", rhs: "one" },
            { op: "const_i64", dst: "zero", imm: 0 },
            { op: "cmp_i64", lhs: "x2", rhs: "zero" },
          ],
          terminator: { op: "br_cond", cond: "ne", then: "loop", else: "done" },
        },
        { label: "done", start: 0x4030, ops: [], terminator: { op: "call", target: "double", next: "store" } },
        {
          label: "store",
          start: 0x4040,
          ops: [
            { op: "pc_rel", dst: "x3", pc: 4096, offset: 8 },
            { op: "store_i64", src: "x0", addr: "x3", offset: 0 },
            { op: "load_i64", dst: "x4", addr: "x3" },
            { op: "mov_i64", dst: "x0", src: "x4" },
          ],
          terminator: { op: "ret" },
        },
      ],
    },
  ],
};

describe.runIf(requireTools("cc", "make"))("a prior-art module end to end", () => {
  it("emits, builds with make and exits with the computed status", async () => {
    await withDir(async (dir) => {
      const file = join(dir, "module.json");
      await writeFile(file, JSON.stringify(runnable));
      await writeFile(join(dir, "data.bin"), Buffer.from([5, 0, 0, 0]));
      const build = join(dir, "build");
      const emitted = await emitProject({ moduleJsonPath: file, outDir: build, personality: "linux" });
      expect(emitted.warnings).toEqual([]);
      await execa("make", ["-s", "-C", build, "CFLAGS=-O1"]);
      const run = await execa(join(build, emitted.executable), [], { reject: false });
      expect(run.exitCode).toBe(30);
    });
  });
});

describe("recomp emit on a prior-art module.json", () => {
  it("writes the project (exit 0) and warns about a syscall it lifts as a trap", async () => {
    await withDir(async (dir) => {
      const file = join(dir, "module.json");
      const minimal = { arch: "aarch64", functions: [{ name: "entry", ops: [{ op: "const_i64", dst: "x0", imm: 7 }, { op: "syscall", name: "svc_log", args: ["x0"] }, { op: "ret" }] }] };
      await writeFile(file, JSON.stringify(minimal));
      const out = join(dir, "out");
      const code = await main(["node", "recomp", "emit", "--module", file, "--out", out]);
      expect(code).toBe(0);
      const guest = await readGuestSource(out);
      expect(guest).toContain('rt_trap("prior-art syscall svc_log has no recomp service", UINT64_C(0xffff000000000004));');
    });
  });
});

describe("recomp automate in lifted mode with a prior-art module.json", () => {
  it("runs the pipeline from it, and refuses one it cannot represent before any stage runs", async () => {
    const dir = await makeProject();
    try {
      await writeFile(join(dir, "module.json"), JSON.stringify({ arch: "aarch64", functions: [{ name: "entry", ops: [{ op: "const_i64", dst: "x0", imm: 3 }, { op: "ret" }] }] }));
      await writeFixtureProvenance(dir);
      const ok = await recomp(dir, ["automate", "--config", "automation.toml"]);
      expect(ok.code).toBe(0);
      expect(await readGuestSource(join(dir, "work", "build"))).toContain("x0 = UINT64_C(0x3);");

      await rm(join(dir, "work"), { recursive: true, force: true });
      await writeFile(join(dir, "module.json"), JSON.stringify({ arch: "aarch64", functions: [{ name: "entry", ops: [{ op: "mov_i64", dst: "x0", src: "x31" }, { op: "ret" }] }] }));
      await writeFixtureProvenance(dir);
      const refused = await recomp(dir, ["automate", "--config", "automation.toml"]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('module.json: functions[0].ops[0].src: function "entry", op 0: register "x31"');
      await expect(readFile(join(dir, "work", "run-manifest.json"))).rejects.toThrow();
    } finally {
      await removeProject(dir);
    }
  });
});
