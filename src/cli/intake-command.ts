// cli: `recomp intake homebrew`: NRO/NSO modules to segment images, module.json and a manifest; assets apart.
import { intakeManifestSchema } from "../config/intake-module.js";
import { printResult } from "./json-output.js";
import type { Command } from "commander";
import { intakeHomebrew } from "../intake/homebrew.js";
import { verifyProvenance } from "../intake/provenance.js";
import { intakeGroup } from "./intake-group.js";

interface HomebrewFlags {
  nro?: string;
  nso: string[];
  provenance: string;
  outDir: string;
  assetsDir: string;
  json?: boolean;
}

export function registerIntakeCommand(program: Command): void {
  intakeGroup(program)
    .command("homebrew")
    .description(
      "read an NRO and/or NSO modules (each listed in provenance with a matching SHA-256), write " +
        "segments/<module>/{text,rodata,data}.bin, module.json and manifest.json to --out-dir, and the " +
        "NRO's icon, NACP and RomFS tree to --assets-dir (outside every repository and apart from --out-dir)",
    )
    .option("--nro <file>", "homebrew NRO")
    .option("--nso <file...>", "NSO modules (repeatable)", [])
    .requiredOption("--provenance <file>", "provenance.toml listing every input")
    .requiredOption("--out-dir <dir>", "intake folder: new, empty, or written by a previous intake (then replaced)")
    .requiredOption("--assets-dir <dir>", "assets root: outside any git work tree, not inside --out-dir")
    .option("--json", "print the manifest as JSON")
    .action(async (flags: HomebrewFlags) => {
      const provenance = await verifyProvenance(flags.provenance);
      const result = await intakeHomebrew({ nro: flags.nro, nso: flags.nso, provenance, outDir: flags.outDir, assetsDir: flags.assetsDir });
      if (flags.json === true) {
        printResult(true, intakeManifestSchema, result.manifest, "");
        return;
      }
      for (const module of result.module.modules) {
        const sizes = module.segments.map((s) => `${s.name} 0x${s.size.toString(16)}`).join(", ");
        process.stdout.write(`module ${module.name} (${module.format}): ${sizes}, bss 0x${module.bss.size.toString(16)}\n`);
      }
      process.stdout.write(`wrote ${result.files.length} files to ${flags.outDir} and ${result.assets.length} assets to ${flags.assetsDir}\n`);
    });
}
