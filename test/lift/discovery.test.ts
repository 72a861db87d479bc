// Finding all the code of real homebrew: the libnx example NROs (test/fixtures/libnx, checked
// against their ELFs' symbols with objdump) and the nx.js NRO (RELR relocations, an empty
// eh_frame_hdr). Coverage, no padding lifted, relocations applied, and located errors for bad input.
import { execFileSync } from "node:child_process";
import { access, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import type { IrFunction } from "../../src/config/module-json.js";
import { withFileSource } from "../../src/formats/byte-source.js";
import { parseNro, type NroInfo } from "../../src/formats/nro.js";
import { decodeA64, formatInsn } from "../../src/lift/a64/decode.js";
import { encodingName, imageFromNro, liftProgram, type LiftImage } from "../../src/lift/index.js";
import { requireTools } from "../helpers/tools.js";

const root = join(import.meta.dirname, "..", "..");
const fixtures = join(root, "test", "fixtures", "libnx");
const examples = ["hello-world", "playtone", "read-controls", "simplegfx"];
const nxjs = join(root, "node_modules", "@nx.js", "nro", "dist", "nxjs.nro");
const base = 0x10000000n;

function liftedInstructions(functions: readonly IrFunction[]): { pc: bigint; asm: string; fn: string }[] {
  return functions.flatMap((fn) => fn.blocks.flatMap((block) => block.ops.flatMap((op) => (op.op === "insn" && "pc" in op ? [{ pc: BigInt(op.pc), asm: op.asm, fn: fn.name }] : []))));
}

interface ElfSymbol {
  address: bigint;
  size: bigint;
  name: string;
  isFunction: boolean;
}

/** The symbols of an ELF's .text, sorted by address, from objdump -t. */
function textSymbols(elf: string): ElfSymbol[] {
  const table = execFileSync("aarch64-linux-gnu-objdump", ["-t", elf], { encoding: "utf8" });
  return table
    .split("\n")
    .map((line) => /^([0-9a-f]{16}) (.{7}) \.text\s+([0-9a-f]{16}) (\S+)$/.exec(line))
    .flatMap((m) => (m === null ? [] : [{ address: BigInt(`0x${m[1]}`), size: BigInt(`0x${m[3]}`), name: m[4], isFunction: (m[2]).includes("F") }]))
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** Padding: from the end of each sized function to the next symbol (alignment fill, or what follows a call that never returns). */
function paddingRanges(symbols: readonly ElfSymbol[]): [bigint, bigint][] {
  return symbols.flatMap((symbol) => {
    if (!symbol.isFunction || symbol.size === 0n) return [];
    const end = symbol.address + symbol.size;
    const next = symbols.find((other) => other.address >= end);
    return next === undefined || next.address === end ? [] : [[end, next.address] as [bigint, bigint]];
  });
}

describe.each(examples)("the libnx example %s", (name) => {
  const nro = join(fixtures, `${name}.nro`);

  it("finds every FDE function and every function symbol, reaches no unsupported instruction, lifts no padding, and reads the relocated pointers", async () => {
    if (!requireTools("aarch64-linux-gnu-objdump")) return;
    const image = await imageFromNro(nro, base);
    const { module, coverage, unsupportedReport } = liftProgram({ image, mode: "decode" });
    expect(unsupportedReport).toEqual([]);
    expect(coverage.fde_functions).toBeGreaterThan(300);
    expect(coverage.fde_functions_found / coverage.fde_functions).toBeGreaterThanOrEqual(0.99);
    const entries = new Set(module.functions.map((fn) => BigInt(fn.entry)));
    const symbols = textSymbols(join(fixtures, `${name}.elf`));
    const functions = symbols.filter((symbol) => symbol.isFunction && symbol.size > 0n);
    expect(functions.length).toBeGreaterThan(300);
    expect(functions.filter((symbol) => !entries.has(base + symbol.address)).map((symbol) => symbol.name)).toEqual([]);
    const padding = paddingRanges(symbols);
    expect(padding.length).toBeGreaterThan(0);
    const lifted = liftedInstructions(module.functions);
    const isPadding = (pc: bigint): boolean => padding.some(([start, end]) => pc >= base + start && pc < base + end);
    expect(lifted.filter((insn) => insn.asm.startsWith("udf") || isPadding(insn.pc)).map((insn) => `${insn.pc.toString(16)} ${insn.asm} in ${insn.fn}`)).toEqual([]);
  });

  it("applies RELA relocations to the data it searches for code pointers, and writes the segments as stored", async () => {
    if (!requireTools("aarch64-linux-gnu-objdump")) return;
    const relocations = execFileSync("aarch64-linux-gnu-objdump", ["-R", join(fixtures, `${name}.elf`)], { encoding: "utf8" });
    const text = (await withFileSource(nro, nro, parseNro)).segments[0];
    const [offset, addend] = relocations
      .split("\n")
      .map((line) => /^([0-9a-f]{16}) R_AARCH64_RELATIVE\s+\*ABS\*\+0x([0-9a-f]+)$/.exec(line))
      .flatMap((m) => (m === null ? [] : [[Number(`0x${m[1]}`), BigInt(`0x${m[2]}`)] as const]))
      .find(([, value]) => value > 0n && value < BigInt(text.size)) as readonly [number, bigint];
    const image = await imageFromNro(nro, base);
    const data = image.segments.find((s) => s.name === "data");
    const relocated = image.relocated?.find((s) => s.name === "data");
    const at = offset - Number((data?.base ?? 0n) - base);
    const word = (bytes: Uint8Array | undefined): bigint => new DataView((bytes as Uint8Array).buffer, (bytes as Uint8Array).byteOffset).getBigUint64(at, true);
    expect(word(relocated?.bytes)).toBe(base + addend);
    expect(word(data?.bytes)).not.toBe(base + addend);
    const { module } = liftProgram({ image, mode: "decode" });
    expect(module.functions.map((fn) => BigInt(fn.entry))).toContain(base + addend);
  });
});

describe("calls that never return", () => {
  const text = (words: number[]): LiftImage => {
    const bytes = new Uint8Array(words.length * 4);
    words.forEach((word, i) => new DataView(bytes.buffer).setUint32(i * 4, word, true));
    return { segments: [{ name: "text", base: 0x1000n, bytes, size: bytes.length, permissions: { read: true, write: false, execute: true } }], entry: 0x1000n, symbols: [] };
  };
  const bl = (from: number, to: number): number => (0x94000000 | (((to - from) >> 2) & 0x3ffffff)) >>> 0;
  const [ret, udf, brk] = [0xd65f03c0, 0x00000000, 0xd4200000];

  it("end the caller's block with a trap, so the padding after them is not lifted", () => {
    const { module } = liftProgram({ image: text([bl(0x1000, 0x100c), udf, udf, brk]), mode: "decode" });
    const entry = module.functions.find((fn) => fn.name === "entry");
    expect(entry?.blocks).toHaveLength(1);
    expect(entry?.blocks[0]?.terminator).toEqual({ op: "trap", pc: "0x1004", reason: "fn_100c does not return" });
    expect(liftedInstructions(module.functions).map((insn) => insn.asm)).not.toContain("udf #0");
  });

  it("fall through when the callee returns, also through a chain of calls found later", () => {
    // entry: bl g; ret | g: bl h; ret | h: ret
    const { module } = liftProgram({ image: text([bl(0x1000, 0x1008), ret, bl(0x1008, 0x1010), ret, ret]), mode: "decode" });
    const pcs = (name: string): string[] => (module.functions.find((fn) => fn.name === name)?.blocks ?? []).flatMap((b) => b.ops.flatMap((op) => (op.op === "insn" && "pc" in op ? [op.pc] : [])));
    expect(pcs("entry")).toEqual(["0x1000", "0x1004"]);
    expect(pcs("fn_1008")).toEqual(["0x1008", "0x100c"]);
  });
});

describe("system registers and operations of extensions the Cortex-A57 lacks", () => {
  // nx.js's libgcc reads tpidr2_el0 (SME) and gcspr_el0 / gcspopm (GCS) behind feature tests: UNDEFINED on the Switch.
  it.each([
    [0xd53bd0ae, "mrs x14, tpidr2_el0", "mrs tpidr2_el0 (SME): the Cortex-A57 has no SME"],
    [0xd51bd0bf, "msr tpidr2_el0, xzr", "msr tpidr2_el0 (SME): the Cortex-A57 has no SME"],
    [0xd53b2521, "mrs x1, s3_3_c2_c5_1", "mrs s3_3_c2_c5_1 (GCS): the Cortex-A57 has no GCS"],
    [0xd52b773f, "sysl xzr, #3, C7, C7, #1", "sysl #3, C7, C7, #1 (GCS): the Cortex-A57 has no GCS"],
    [0xd50b771f, "sys #3, C7, C7, #0", "sys #3, C7, C7, #0 (GCS): the Cortex-A57 has no GCS"],
  ])("%i: %s lifts as a trap that says why", (word, text, reason) => {
    const decoded = decodeA64(word, 0x1000n);
    expect(formatInsn(decoded)).toBe(text);
    expect(decoded.supported && decoded.flow).toEqual({ kind: "trap", reason });
  });
});

describe("the lift summary", () => {
  async function liftOutput(extra: string[]): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "recomp-discovery-cli-"));
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      expect(await main(["node", "recomp", "lift", "--nro", join(fixtures, "hello-world.nro"), "--base", "0x10000000", "--out", join(dir, "out"), ...extra])).toBe(0);
      return write.mock.calls.map((call) => String(call[0])).join("");
    } finally {
      write.mockRestore();
      await rm(dir, { recursive: true, force: true });
    }
  }

  it("prints coverage and the first reached unsupported instructions with what, where and the file offset", async () => {
    const image = await imageFromNro(join(fixtures, "hello-world.nro"), base);
    const { coverage, unsupportedReport } = liftProgram({ image, mode: "decode" });
    const lines = (await liftOutput([])).split("\n");
    expect(lines[1]).toBe(
      `coverage: ${coverage.fde_functions_found} of ${coverage.fde_functions} FDE functions found (100.0%); ${coverage.text_bytes_lifted} of ${coverage.text_bytes} .text bytes lifted (${((100 * coverage.text_bytes_lifted) / coverage.text_bytes).toFixed(1)}%)`,
    );
    if (unsupportedReport.length === 0) return;
    expect(lines[2]).toMatch(new RegExp(`^${unsupportedReport.length} reached unsupported instructions`));
    const first = unsupportedReport[0];
    const offset = Number(BigInt(first?.pc ?? "0") - base).toString(16);
    expect(lines[3]).toBe(`  ${first?.pc} 0x${BigInt(first?.word ?? "0").toString(16).padStart(8, "0")} ${first?.what} in ${first?.function} at ${join(fixtures, "hello-world.nro")}+0x${offset}`);
  });

  it("gives the same figures with --json", async () => {
    const json = JSON.parse(await liftOutput(["--json"])) as Record<string, unknown>;
    const { coverage, unsupportedReport } = liftProgram({ image: await imageFromNro(join(fixtures, "hello-world.nro"), base), mode: "decode" });
    expect(json).toMatchObject({ ...coverage, unsupported: unsupportedReport });
  });

  it("names the system instructions it knows and the encoding group of the others", () => {
    expect(encodingName(0xd53bd073)).toBe("mrs tpidrro_el0");
    expect(encodingName(0xd503245f)).toBe("bti c");
    expect(encodingName(0x00000000)).toBe("udf #0");
    expect(encodingName(0x3dc00e7f)).toBe("(FP/SIMD load/store)");
    expect(encodingName(0x1e602820)).toBe("(FP/SIMD, scalar)");
  });
});

describe("the nx.js NRO (RELR relocations, empty eh_frame_hdr)", () => {
  it("walks .eh_frame, applies RELR to .init_array's code pointers, finds at least 99% of the FDE functions, and reaches no unsupported instruction", async () => {
    const image = await imageFromNro(nxjs, base);
    // .init_array is the first thing in .data (DT_INIT_ARRAY 0x71b000); RELR entries hold link-time offsets.
    const data = image.segments.find((s) => s.name === "data");
    const relocated = image.relocated?.find((s) => s.name === "data");
    const word = (bytes: Uint8Array | undefined): bigint => new DataView((bytes as Uint8Array).buffer, (bytes as Uint8Array).byteOffset).getBigUint64(0, true);
    const stored = word(data?.bytes);
    expect(stored).toBeGreaterThan(0n);
    expect(stored).toBeLessThan(0x47d000n);
    expect(word(relocated?.bytes)).toBe(base + stored);
    expect(image.fdes?.length).toBeGreaterThan(10000);
    const { module, coverage, unsupportedReport } = liftProgram({ image, mode: "decode" });
    expect(unsupportedReport).toEqual([]);
    expect(coverage.fde_functions_found / coverage.fde_functions).toBeGreaterThanOrEqual(0.99);
    expect(module.functions.map((fn) => BigInt(fn.entry))).toContain(base + stored);
    expect(liftedInstructions(module.functions).filter((insn) => insn.asm.startsWith("udf"))).toEqual([]);
  }, 600_000);
});

describe("bad input: located errors, exit 2, nothing written", () => {
  let dir: string;
  let original: Uint8Array;
  let nro: NroInfo;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "recomp-discovery-"));
    const path = join(fixtures, "hello-world.nro");
    original = new Uint8Array(await readFile(path));
    nro = await withFileSource(path, path, parseNro);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const u32 = (bytes: Uint8Array, at: number): number => new DataView(bytes.buffer, bytes.byteOffset).getUint32(at, true);
  const setU32 = (bytes: Uint8Array, at: number, value: number): void => new DataView(bytes.buffer, bytes.byteOffset).setUint32(at, value >>> 0, true);
  /** The first entry of eh_frame_hdr's table: [its offset, initial location, FDE offset] (datarel sdata4 from the header). */
  const tableEntry = (bytes: Uint8Array): [number, number, number] => {
    const hdr = nro.mod0?.ehFrameHdrStart as number;
    expect(bytes[hdr + 3]).toBe(0x3b);
    const at = hdr + 12;
    return [at, hdr + (u32(bytes, at) | 0), hdr + (u32(bytes, at + 4) | 0)];
  };

  async function expectRejected(mutate: (bytes: Uint8Array) => void, keyPath: RegExp, offset: (bytes: Uint8Array) => number, input = original): Promise<void> {
    const bytes = input.slice();
    mutate(bytes);
    const path = join(dir, "bad.nro");
    await writeFile(path, bytes);
    const error = await imageFromNro(path, base).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: "format_invalid", location: { file: path, offset: offset(bytes) } });
    expect((error as { location: { keyPath: string } }).location.keyPath).toMatch(keyPath);
    const out = join(dir, "out");
    expect(await main(["node", "recomp", "lift", "--nro", path, "--base", "0x10000000", "--out", out])).toBe(2);
    await expect(access(out)).rejects.toThrow();
  }

  it("a relocation outside the module", async () => {
    const dynamic = nro.mod0?.dynamicOffset as number;
    // DT_RELA's value: the first entry with tag 7.
    const rela = (bytes: Uint8Array): number => {
      for (let at = dynamic; ; at += 16) if (u32(bytes, at) === 7) return u32(bytes, at + 8);
    };
    await expectRejected((bytes) => setU32(bytes, rela(bytes), 0x7fff0000), /^rela\[0\]\.r_offset$/, rela);
  });

  it("a RELR entry outside the module (nx.js's packed relocations)", async () => {
    const nxjsBytes = new Uint8Array(await readFile(nxjs));
    const dynamic = (await withFileSource(nxjs, nxjs, parseNro)).mod0?.dynamicOffset as number;
    // DT_RELR's value (tag 36): the table's module offset, which is its file offset in an NRO.
    const relr = (bytes: Uint8Array): number => {
      for (let at = dynamic; ; at += 16) if (u32(bytes, at) === 36) return u32(bytes, at + 8);
    };
    await expectRejected((bytes) => setU32(bytes, relr(bytes), 0x7fff0000), /^relr\[0\]$/, relr, nxjsBytes);
  });

  it("an FDE whose function is outside the module", async () => {
    await expectRejected(
      (bytes) => {
        const [at, , fde] = tableEntry(bytes);
        const hdr = nro.mod0?.ehFrameHdrStart as number;
        // Both the table and the FDE's pc_begin (pc-relative sdata4 after length and CIE pointer) say 0x7fff0000.
        setU32(bytes, at, 0x7fff0000 - hdr);
        setU32(bytes, fde + 8, 0x7fff0000 - (fde + 8));
      },
      /^eh_frame\[0x[0-9a-f]+\]\.pc_begin$/,
      (bytes) => tableEntry(bytes)[2] + 8,
    );
  });

  it("a truncated .eh_frame record", async () => {
    await expectRejected((bytes) => setU32(bytes, tableEntry(bytes)[2], 0x00100000), /^eh_frame\[0x[0-9a-f]+\]\.length$/, (bytes) => tableEntry(bytes)[2]);
  });

  it("a header table entry that leads to no FDE", async () => {
    await expectRejected((bytes) => setU32(bytes, tableEntry(bytes)[0] + 4, 0x7fff0000), /^eh_frame_hdr\.table\[0\]\.fde$/, (bytes) => tableEntry(bytes)[0]);
  });
});
