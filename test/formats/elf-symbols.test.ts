// ELF .symtab function symbols: what the lifter takes as function starts in a static ELF.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withFileSource } from "../../src/formats/byte-source.js";
import { readElfFunctionSymbols } from "../../src/formats/elf64.js";
import { errorOf } from "../helpers/errors.js";
import { requireTools } from "../helpers/tools.js";

const program = `
static int helper(int x) { return x * 3; }
static void setup(void) __attribute__((constructor));
static int ready;
static void setup(void) { ready = 1; }
int table_value;
void _start(void) { table_value = helper(ready); for (;;) {} }
`;

describe.runIf(requireTools("aarch64-linux-gnu-gcc", "aarch64-linux-gnu-nm"))("readElfFunctionSymbols", () => {
  let work: string;
  let elf: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "recomp-elf-symbols-"));
    await writeFile(join(work, "p.c"), program);
    elf = join(work, "p.elf");
    await execa("aarch64-linux-gnu-gcc", ["-O1", "-fno-inline", "-static", "-nostdlib", "-o", elf, join(work, "p.c")]);
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("lists every defined function with its size, local ones (a constructor reached only through .init_array) too, as nm does", async () => {
    const symbols = await withFileSource(elf, elf, readElfFunctionSymbols);
    const { stdout } = await execa("aarch64-linux-gnu-nm", ["--defined-only", "-S", elf]);
    const expected = [...stdout.matchAll(/^([0-9a-f]+) (?:([0-9a-f]+) )?[tT] (\S+)$/gm)].map((m) => `${m[3]}@${BigInt(`0x${m[1]}`)}+${BigInt(`0x${m[2] ?? "0"}`)}`).sort();
    expect(symbols.map((s) => `${s.name}@${s.address}+${s.size}`).sort()).toEqual(expected);
    expect(symbols.find((s) => s.name === "helper")?.size).toBeGreaterThan(0n);
    expect(symbols.map((s) => s.name)).toEqual(expect.arrayContaining(["helper", "setup", "_start"]));
  });

  it("names the field and byte offset of a symbol table linked to a section that does not exist", async () => {
    const bytes = new Uint8Array(await readFile(elf));
    const view = new DataView(bytes.buffer);
    const shoff = Number(view.getBigUint64(0x28, true));
    const shnum = view.getUint16(0x3c, true);
    const symtab = [...Array(shnum).keys()].find((i) => view.getUint32(shoff + i * 0x40 + 4, true) === 2) as number;
    view.setUint32(shoff + symtab * 0x40 + 0x28, 999, true);
    const broken = join(work, "broken.elf");
    await writeFile(broken, bytes);
    const error = await errorOf(withFileSource(broken, broken, readElfFunctionSymbols));
    expect(error.message).toContain("string table section 999 does not exist");
    expect(error.location).toMatchObject({ file: broken, keyPath: `elf.section_headers[${symtab}].sh_link`, offset: shoff + symtab * 0x40 + 0x28 });
  });
});
