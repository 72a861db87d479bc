// cli: `recomp init INPUT`: a new title folder for a homebrew NRO, an NSO folder or an XCI (src/init).
import { initResultSchema } from "../config/cli-results.js";
import { printResult } from "./json-output.js";
import { Option, type Command } from "commander";
import { basename, extname } from "node:path";
import { personalities, type Personality } from "../config/title.js";
import { displayPath } from "../engine/paths.js";
import { initTitle } from "../init/init-title.js";

export function registerInitCommand(program: Command): void {
  program
    .command("init")
    .description(
      "write a new title folder for INPUT (a homebrew NRO, an NSO folder with main and main.npdm, or an XCI): automation.toml, " +
        "provenance.toml (name, id, version from the NACP, NPDM or CNMT), " +
        "title.toml, capture_video.toml, an input_script.toml skeleton, the JSON Schemas and a taplo config. " +
        "Then `recomp automate` in that folder runs the loop; with no reference yet it stops after hashing the capture.",
    )
    .argument("<input>", "the title's NRO, NSO folder (ExeFS: main, main.npdm) or XCI (told apart by content)")
    .option("--out <dir>", "the new folder (must not exist or be empty); default: INPUT's name in the current folder")
    .option("--keys <file>", "XCI: your keyset (default: prod.keys beside the image, else ~/.switch/prod.keys)")
    .option("--title-keys <file>", "XCI: title.keys, for titles whose NCAs carry a rights id")
    .addOption(new Option("--personality <name>", "what svc means to the runtime").choices([...personalities]).default("horizon"))
    .option("--collected-at <date>", "provenance collection date, YYYY-MM-DD (default: today, UTC)")
    .option("--json", "print what was written as JSON")
    .action(async (input: string, flags: { out?: string; personality: Personality; collectedAt?: string; keys?: string; titleKeys?: string; json?: boolean }) => {
      const out = flags.out ?? basename(input, extname(input));
      const result = await initTitle({ input, out, personality: flags.personality, collectedAt: flags.collectedAt, keys: flags.keys, titleKeys: flags.titleKeys });
      const shown = displayPath(process.cwd(), result.folder) || ".";
      const { identity } = result.facts;
      if (flags.json === true) {
        const summary = { folder: shown, input: result.kind, files: result.files, notes: result.notes, title: { name: identity.name, title_id: identity.titleId, version: identity.version, from: identity.source }, personality: flags.personality };
        printResult(true, initResultSchema, summary, "");
        return;
      }
      process.stdout.write(
        `wrote ${shown}/: ${result.files.join(", ")}\n` +
          `title "${identity.name}", id ${identity.titleId}, version ${identity.version} (from ${identity.source}); personality ${flags.personality}\n` +
          result.notes.map((note) => `note: ${note}\n`).join("") +
          `next: fill [collection].device in ${shown}/provenance.toml, edit ${shown}/input_script.toml, then run \`recomp automate\` in ${shown}\n`,
      );
    });
}
