// cli: `recomp provenance verify FILE` and `recomp provenance init --out FILE INPUT...`.
import type { Command } from "commander";
import { verifyProvenance } from "../intake/provenance.js";
import { writeProvenance, type ProvenanceInitOptions } from "../intake/provenance-init.js";
import { formatError } from "../util/errors.js";

export function registerProvenanceCommand(program: Command): void {
  const provenance = program.command("provenance").description("check or write provenance.toml (where each input came from)");

  provenance
    .command("verify")
    .description("stream every input listed in FILE and check its SHA-256, size and format (detected from content)")
    .argument("<file>", "provenance.toml")
    .option("--json", "print the verified inputs as JSON")
    .action(async (file: string, options: { json?: boolean }) => {
      const verified = await verifyProvenance(file);
      if (options.json === true) {
        const inputs = verified.inputs.map((input) => ({ ...input.entry, detected: input.detected }));
        process.stdout.write(`${JSON.stringify({ file, inputs }, null, 2)}\n`);
        return;
      }
      for (const input of verified.inputs) {
        process.stdout.write(`ok  ${input.entry.format.padEnd(11)} ${String(input.entry.size).padStart(12)}  ${input.entry.path}\n`);
      }
      process.stdout.write(`${verified.inputs.length} inputs verified against ${file}\n`);
    });

  provenance
    .command("init")
    .description("write a provenance.toml for INPUTs with detected formats, sizes and SHA-256")
    .argument("<inputs...>", "input files")
    .requiredOption("--out <file>", "provenance.toml to write (paths inside are relative to its folder)")
    .requiredOption("--title-name <name>", "title name")
    .requiredOption("--title-id <id>", "16-hex-digit title id")
    .requiredOption("--title-version <version>", "title version")
    .option("--region <region>", "region", "unknown")
    .requiredOption("--device <device>", "device the inputs were collected from")
    .requiredOption("--collected-at <date>", "collection date, YYYY-MM-DD")
    .requiredOption("--tool-name <name>", "collection tool name")
    .requiredOption("--tool-version <version>", "collection tool version")
    .option("--notes <text>", "collection notes")
    .option("--role <path=role...>", "role of an input (default: derived from its format)")
    .option("--force", "overwrite an existing file")
    .action(async (inputs: string[], options: ProvenanceInitOptions) => {
      const written = await writeProvenance(inputs, options);
      for (const warning of written.warnings) process.stderr.write(`${formatError(warning)}\n`);
      process.stdout.write(`wrote ${options.out} with ${written.count} inputs\n`);
    });
}
