// cli: `recomp tools elf2nro ELF NRO`: packs a linked AArch64 ELF into a homebrew NRO.
import type { Command } from "commander";
import { elfToNro, withFileSource, type PackedNro } from "../formats/index.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { RecompError } from "../util/errors.js";
import { elf2nroResultSchema } from "../config/cli-results.js";
import { jsonOption, printResult } from "./json-output.js";

async function packFile(elf: string): Promise<PackedNro> {
  try {
    return await withFileSource(elf, elf, elfToNro);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    throw new RecompError({ code: "input_missing", message: "ELF file does not exist", location: { file: elf }, hint: "check the path" });
  }
}

export function registerToolsCommand(program: Command): void {
  const tools = program.command("tools").description("small build tools (packing homebrew)");
  jsonOption(tools.command("elf2nro"))
    .description("pack a linked AArch64 ELF (three PT_LOAD segments from address 0, MOD0 at the offset in .text+0x4) into an NRO")
    .argument("<elf>", "input ELF")
    .argument("<nro>", "output NRO")
    .action(async (elf: string, nro: string, flags: { json?: boolean }) => {
      const packed = await packFile(elf);
      await writeFileAtomic(nro, packed.nro);
      const hex = (value: number) => `0x${value.toString(16)}`;
      const segments = packed.segments.map((s) => `${s.name} ${hex(s.offset)}+${hex(s.size)}`).join(", ");
      const result = { nro, size: packed.nro.length, segments: packed.segments.map((s) => ({ name: s.name, offset: s.offset, size: s.size })), bss_size: packed.bssSize, mod0_offset: packed.mod0Offset, build_id: packed.buildId || null };
      printResult(flags.json, elf2nroResultSchema, result, `wrote ${nro} (${packed.nro.length} bytes): ${segments}, bss ${hex(packed.bssSize)}, MOD0 at ${hex(packed.mod0Offset)}, build id ${packed.buildId || "none"}\n`);
    });
}
