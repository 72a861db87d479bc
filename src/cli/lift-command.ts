// cli: `recomp lift`: decodes an NRO, a static ELF or raw segment images into module.json (docs/ir.md).
import { liftResultSchema } from "../config/cli-results.js";
import { printResult } from "./json-output.js";
import type { Command } from "commander";
import { addressValue } from "../config/common.js";
import { titleSchema } from "../config/title.js";
import { loadTomlFile } from "../config/toml.js";
import { coverageLine, imageFromElf, imageFromFiles, imageFromIntake, imageFromNro, liftModule, unsupportedLines, type LiftImage } from "../lift/index.js";
import { RecompError } from "../util/errors.js";

interface LiftFlags {
  intake?: string;
  title?: string;
  nro?: string;
  elf?: string;
  segment: string[];
  base?: string;
  entry?: string;
  entryName: string;
  mode: string;
  out: string;
  json?: boolean;
}

const address = /^(0x[0-9a-fA-F]+|[0-9]+)$/;

function parseAddress(value: string | undefined, flag: string): bigint {
  if (value === undefined || !address.test(value)) {
    throw new RecompError({ code: "usage", message: `${flag} needs an address`, hint: `e.g. ${flag} 0x10000000` });
  }
  return BigInt(value);
}

/** The load base: --base, else the lowest executable region of --title's memory layout. */
async function loadBase(flags: LiftFlags): Promise<bigint> {
  if (flags.base !== undefined || flags.title === undefined) return parseAddress(flags.base, "--base");
  const title = await loadTomlFile(flags.title, titleSchema, "title.toml");
  const code = (title.data.runtime?.memory_layout?.regions ?? [])
    .filter((region) => (typeof region.permissions === "string" ? region.permissions[2] === "x" : region.permissions.execute))
    .map((region) => addressValue(region.base))
    .sort((a, b) => (a < b ? -1 : 1))[0];
  if (code === undefined) {
    throw new RecompError({ code: "config_invalid", message: "title.toml has no executable memory region", location: { file: flags.title, keyPath: "runtime.memory_layout.regions" }, hint: "add the text region or pass --base" });
  }
  return code;
}

async function loadImage(flags: LiftFlags): Promise<LiftImage> {
  const chosen = [flags.intake, flags.nro, flags.elf, flags.segment.length > 0 ? "segments" : undefined].filter((x) => x !== undefined);
  if (chosen.length !== 1) {
    throw new RecompError({
      code: "usage",
      message: "give exactly one input",
      hint: "use --intake MODULE_JSON or --nro FILE (with --base ADDR or --title TOML), --elf FILE, or --segment ... --entry ADDR",
    });
  }
  try {
    if (flags.intake !== undefined) return await imageFromIntake(flags.intake, await loadBase(flags));
    if (flags.nro !== undefined) return await imageFromNro(flags.nro, await loadBase(flags));
    if (flags.elf !== undefined) return await imageFromElf(flags.elf);
    return await imageFromFiles(flags.segment, parseAddress(flags.entry, "--entry"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") throw error;
    throw new RecompError({ code: "input_missing", message: `input file does not exist: ${(error as Error).message}`, hint: "check the path" });
  }
}

export function registerLiftCommand(program: Command): void {
  program
    .command("lift")
    .description("lift AArch64 code into module.json: functions from the entry point, symbols, .eh_frame FDEs, bl targets and code pointers; blocks split at every branch target")
    .option("--intake <file>", "the intake's module.json (homebrew or XCI mode), mapped at --base")
    .option("--nro <file>", "a homebrew NRO, mapped at --base")
    .option("--base <addr>", "load address of the first module, e.g. 0x10000000")
    .option("--title <file>", "title.toml: without --base, load at its lowest executable region")
    .option("--elf <file>", "a static AArch64 ELF (segments at their virtual addresses)")
    .option("--segment <spec>", "raw image NAME:BASE:FILE[:PERMS[:SIZE]] (repeatable)", (value: string, all: string[]) => [...all, value], [])
    .option("--entry <addr>", "entry address (with --segment)")
    .option("--entry-name <name>", "name of the entry function", "entry")
    .option("--mode <mode>", "decode | stub", "decode")
    .requiredOption("--out <dir>", "output folder (module.json and segments/)")
    .option("--json", "print the summary as JSON")
    .action(async (flags: LiftFlags) => {
      if (flags.mode !== "decode" && flags.mode !== "stub") {
        throw new RecompError({ code: "usage", message: `unknown --mode "${flags.mode}"`, hint: "use decode or stub" });
      }
      const image = await loadImage(flags);
      const result = await liftModule({ image, entryName: flags.entryName, mode: flags.mode, outDir: flags.out });
      const coverage = result.coverage;
      if (flags.json === true) {
        const summary = { module: result.modulePath, ...coverage, unsupported: result.unsupportedReport };
        printResult(true, liftResultSchema, summary, "");
        return;
      }
      process.stdout.write(`wrote ${result.modulePath}: ${coverage.functions} functions, ${coverage.blocks} blocks, ${coverage.instructions} instructions\n`);
      process.stdout.write(`${coverageLine(coverage)}\n`);
      for (const line of unsupportedLines(result.unsupportedReport)) process.stdout.write(`${line}\n`);
    });
}
