// cli: `recomp intake xci`: program NCA of a game-card image -> ExeFS + manifest, RomFS -> assets root.
import { intakeManifestSchema } from "../config/intake-module.js";
import { printResult } from "./json-output.js";
import type { Command } from "commander";
import { loadTomlFile } from "../config/toml.js";
import { titleSchema } from "../config/title.js";
import { intakeXci } from "../intake/xci-intake.js";
import { describeCandidate } from "../intake/xci-programs.js";
import { xciTools, type XciTool } from "../intake/xci-tools.js";
import { RecompError } from "../util/errors.js";
import { canonicalJsonPretty } from "../util/canonical-json.js";
import { intakeGroup } from "./intake-group.js";

interface Flags {
  xci: string;
  keys: string;
  titleKeys?: string;
  provenance: string;
  outDir: string;
  assetsDir: string;
  tool: string;
  toolPath?: string;
  title?: string;
  verify?: boolean;
  json?: boolean;
}

export function registerIntakeXciCommand(program: Command): void {
  intakeGroup(program)
    .command("xci")
    .description("decrypt a game-card image with your keys: ExeFS to --out-dir, RomFS to --assets-dir/romfs")
    .requiredOption("--xci <file>", "the .xci image (listed in provenance)")
    .requiredOption("--keys <file>", "prod.keys with header_key and key_area_key_* / titlekek_* (listed in provenance)")
    .option("--title-keys <file>", "title.keys, for titles whose NCAs carry a rights id (listed in provenance)")
    .requiredOption("--provenance <file>", "provenance.toml")
    .requiredOption("--out-dir <dir>", "intake output folder (replaced)")
    .requiredOption("--assets-dir <dir>", "assets root outside the repository and the outputs")
    .option("--tool <tool>", `extractor: ${xciTools.join(" | ")}`, "native")
    .option("--tool-path <file>", "hactool/hactoolnet executable (default: found on PATH)")
    .option("--title <file>", "title.toml: program_title_id / program_version choose among several programs")
    .option("--verify", "also check every HFS0 hash and the RomFS hash tree (reads the whole image)")
    .option("--json", "print the manifest as JSON")
    .action(async (flags: Flags) => {
      if (!(xciTools as readonly string[]).includes(flags.tool)) {
        throw new RecompError({ code: "usage", message: `--tool ${flags.tool} is not one of ${xciTools.join(", ")}` });
      }
      const title = flags.title === undefined ? undefined : (await loadTomlFile(flags.title, titleSchema, "title file")).data;
      const { manifest, module, program: chosen } = await intakeXci({
        xci: flags.xci,
        keys: flags.keys,
        provenance: flags.provenance,
        outDir: flags.outDir,
        assetsDir: flags.assetsDir,
        tool: flags.tool as XciTool,
        verify: flags.verify === true,
        ...(flags.titleKeys === undefined ? {} : { titleKeys: flags.titleKeys }),
        ...(flags.toolPath === undefined ? {} : { toolPath: flags.toolPath }),
        ...(flags.title === undefined ? {} : { titleFile: flags.title }),
        choice: {
          ...(title?.program_title_id === undefined ? {} : { programTitleId: title.program_title_id }),
          ...(title?.program_version === undefined ? {} : { programVersion: title.program_version }),
        },
      });
      if (flags.json === true) {
        printResult(true, intakeManifestSchema, manifest, "", canonicalJsonPretty);
        return;
      }
      process.stdout.write(`program ${describeCandidate(chosen)}, ${chosen.header.magic}, key generation ${chosen.header.keyGeneration}\n`);
      for (const entry of module.modules) {
        const sizes = entry.segments.map((s) => `${s.name} 0x${s.size.toString(16)}`).join(", ");
        process.stdout.write(`module ${entry.name}: ${sizes}, bss 0x${entry.bss.size.toString(16)}\n`);
      }
      const tool = manifest.tool === undefined ? "" : ` (tool: ${manifest.tool.name} ${manifest.tool.version})`;
      process.stdout.write(`${manifest.files.length} files in ${flags.outDir}, ${manifest.assets.length} asset files in ${flags.assetsDir}${tool}\n`);
    });
}
