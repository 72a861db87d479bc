// cli: `recomp inspect FILE`: what a user needs to know about a supported file, as text or --json.
import { inspectResultSchema } from "../config/cli-results.js";
import { printResult } from "./json-output.js";
import type { Command } from "commander";
import { type InspectFormat, inspectFile, inspectHandlers } from "../inspect/handlers.js";
import { renderReport } from "../inspect/report.js";
import { loadKeyset } from "../formats/keyset.js";
import { canonicalJsonPretty } from "../util/canonical-json.js";
import { RecompError } from "../util/errors.js";

export function registerInspectCommand(program: Command): void {
  const formats = Object.keys(inspectHandlers).sort();
  program
    .command("inspect")
    .description(`print the headers, segments and contents of a file (${formats.join(", ")}); the format is detected from content`)
    .argument("<file>", "file to inspect")
    .option("--json", "print the report as JSON")
    .option("--format <format>", `read the file as this format (${formats.join(", ")})`)
    .option("--keys <file>", "prod.keys: decrypt NCA headers and sections (XCI and NCA files)")
    .option("--title-keys <file>", "title.keys, for NCAs with a rights id")
    .action(async (file: string, flags: { json?: boolean; format?: string; keys?: string; titleKeys?: string }) => {
      if (flags.format !== undefined && !formats.includes(flags.format)) {
        throw new RecompError({ code: "usage", message: `unknown format "${flags.format}"`, hint: `choose one of: ${formats.join(", ")}` });
      }
      const context = {
        ...(flags.keys === undefined ? {} : { keys: await loadKeyset(flags.keys) }),
        ...(flags.titleKeys === undefined ? {} : { titleKeys: await loadKeyset(flags.titleKeys) }),
      };
      const report = await inspectFile(file, file, flags.format as InspectFormat | undefined, context);
      printResult(flags.json, inspectResultSchema, { file, format: report.format, ...(report.data as object) }, renderReport(file, report), canonicalJsonPretty);
    });
}
