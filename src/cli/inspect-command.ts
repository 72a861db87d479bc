// cli: `recomp inspect FILE`: what a user needs to know about a supported file, as text or --json.
import type { Command } from "commander";
import { type InspectFormat, inspectFile, inspectHandlers } from "../inspect/handlers.js";
import { renderReport } from "../inspect/report.js";
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
    .action(async (file: string, flags: { json?: boolean; format?: string }) => {
      if (flags.format !== undefined && !formats.includes(flags.format)) {
        throw new RecompError({ code: "usage", message: `unknown format "${flags.format}"`, hint: `choose one of: ${formats.join(", ")}` });
      }
      const report = await inspectFile(file, file, flags.format as InspectFormat | undefined);
      process.stdout.write(flags.json === true ? canonicalJsonPretty({ file, format: report.format, ...(report.data as object) }) : renderReport(file, report));
    });
}
