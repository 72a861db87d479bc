import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guestCompiler } from "../../scripts/demo/build-guest.js";
import { demoSourceDir } from "../../scripts/demo/paths.js";
import { requireTools } from "../helpers/tools.js";

const program = `
static const char message[] = "hello from rodata";
int counter = 7;
static char scratch[20000];
const char *entry(void) { scratch[counter] = message[counter]; return message + scratch[3]; }
`;

const startWithoutMod0 = `
  .section .text.crt0, "ax", %progbits
  .global _start
_start:
  b .
  .word 0x90
  .word 0, 0
  .space 0x70
  .word 0
`;

interface LoadSegment {
  offset: number;
  vaddr: number;
  fileSize: number;
  memSize: number;
}

/** PT_LOAD rows as binutils' readelf reads them (an independent ELF parser). */
async function readelfLoads(elf: string): Promise<LoadSegment[]> {
  const { stdout } = await execa("aarch64-linux-gnu-readelf", ["-W", "-l", elf]);
  return stdout
    .split("\n")
    .filter((line) => line.trim().startsWith("LOAD"))
    .map((line) => {
      const [offset, vaddr, , fileSize, memSize] = line.trim().split(/\s+/).slice(1).map((field) => Number.parseInt(field, 16));
      return { offset: offset ?? 0, vaddr: vaddr ?? 0, fileSize: fileSize ?? 0, memSize: memSize ?? 0 };
    });
}

describe.runIf(requireTools("aarch64-linux-gnu-gcc"))("recomp tools elf2nro", () => {
  let dir: string;
  const cli = (...args: string[]) => execa("node", ["bin/recomp.js", "tools", "elf2nro", ...args], { reject: false });
  const link = (output: string, sources: string[], extra: string[] = []) =>
    execa(guestCompiler, ["-O2", "-nostdlib", "-static", "-fno-pic", "-no-pie", "-ffreestanding", "-fno-asynchronous-unwind-tables", ...extra, "-o", output, ...sources]);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "recomp-elf2nro-"));
    await writeFile(join(dir, "program.c"), program);
    await writeFile(join(dir, "nomod0.S"), startWithoutMod0);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("lays the PT_LOAD segments out at their addresses, with bss, build id and MOD0", async () => {
    const elf = join(dir, "ok.elf");
    const nroFile = join(dir, "ok.nro");
    await link(elf, [join(demoSourceDir, "guest_start.S"), join(dir, "program.c")], [
      "-Wl,--build-id=sha1",
      `-Wl,-T,${join(demoSourceDir, "guest.ld")}`,
      "-Wl,-z,max-page-size=0x1000",
      "-Wl,--defsym=demo_main=entry",
    ]);
    const result = await cli(elf, nroFile);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);

    const [elfBytes, nro] = await Promise.all([readFile(elf), readFile(nroFile)]);
    const loads = await readelfLoads(elf);
    expect(loads).toHaveLength(3);
    for (const [i, load] of loads.entries()) {
      const from = i === 0 ? 0x80 : 0; // .text's first 0x80 bytes carry the NRO start and header
      expect(nro.subarray(load.vaddr + from, load.vaddr + load.fileSize)).toEqual(elfBytes.subarray(load.offset + from, load.offset + load.fileSize));
      expect(nro.readUInt32LE(0x20 + i * 8)).toBe(load.vaddr);
    }
    const data = loads[2];
    const page = (n: number) => Math.ceil(n / 0x1000) * 0x1000;
    expect(nro.readUInt32LE(0x38)).toBe(page(data.vaddr + data.memSize) - (data.vaddr + page(data.fileSize)));
    expect(nro.length).toBe(data.vaddr + page(data.fileSize));
    expect(nro.readUInt32LE(0x18)).toBe(nro.length);
    expect(nro.subarray(0x10, 0x14).toString("latin1")).toBe("NRO0");
    const mod0 = nro.readUInt32LE(0x4);
    expect(mod0).toBe(0x80);
    expect(nro.subarray(mod0, mod0 + 4).toString("latin1")).toBe("MOD0");
    const notes = (await execa("aarch64-linux-gnu-readelf", ["-n", elf])).stdout;
    const buildId = /Build ID: ([0-9a-f]+)/.exec(notes)?.[1];
    expect(nro.subarray(0x40, 0x40 + 20).toString("hex")).toBe(buildId);
    expect(result.stdout).toContain(`build id ${buildId}`);
  });

  it("exits 2 naming the problem for a file that is not an ELF", async () => {
    const bogus = join(dir, "bogus.elf");
    await writeFile(bogus, "not an elf at all, just some text long enough to hold an ELF header....");
    const result = await cli(bogus, join(dir, "bogus.nro"));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`error[format_invalid]: ${bogus}: elf.magic: offset 0x0: elf.magic: expected "\\x7fELF"`);
    await expect(readFile(join(dir, "bogus.nro"))).rejects.toThrow(/ENOENT/);
  });

  it("rejects an ELF linked without the NRO layout", async () => {
    const elf = join(dir, "default.elf");
    await link(elf, [join(dir, "program.c")], ["-Wl,-e,entry"]);
    const result = await cli(elf, join(dir, "default.nro"));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/expected three PT_LOAD segments r-x, r--, rw- in address order; found .*\(link with one PT_LOAD per segment/);
  });

  it("rejects an image whose MOD0 offset points at no MOD0 header", async () => {
    const elf = join(dir, "nomod0.elf");
    await link(elf, [join(dir, "nomod0.S"), join(dir, "program.c")], [`-Wl,-T,${join(demoSourceDir, "guest.ld")}`, "-Wl,-z,max-page-size=0x1000"]);
    const result = await cli(elf, join(dir, "nomod0.nro"));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('offset 0x90: the MOD0 offset at 0x4 (0x90) does not point at a "MOD0" header in the image');
  });
});
