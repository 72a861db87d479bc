// cli: `recomp provenance verify FILE` and `recomp provenance init --out FILE INPUT...`.
import type { Command } from "commander";
import { verifyProvenance } from "../intake/provenance.js";
import { writeProvenance, type ProvenanceInitOptions } from "../intake/provenance-init.js";
import { detectFormat, type DetectedFormat } from "../formats/detect.js";
import { readNroFacts } from "../init/title-identity.js";
import { RecompError, formatError, throwIfAny } from "../util/errors.js";
import { provenanceInitResultSchema, provenanceVerifyResultSchema } from "../config/cli-results.js";
import { jsonProblem } from "./error-output.js";
import { jsonOption, printResult } from "./json-output.js";

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
        printResult(true, provenanceVerifyResultSchema, { file, inputs }, "");
        return;
      }
      for (const input of verified.inputs) {
        process.stdout.write(`ok  ${input.entry.format.padEnd(11)} ${String(input.entry.size).padStart(12)}  ${input.entry.path}\n`);
      }
      process.stdout.write(`${verified.inputs.length} inputs verified against ${file}\n`);
    });

  jsonOption(provenance.command("init"))
    .description(
      "write a provenance.toml for INPUTs with detected formats, sizes and SHA-256. Flags marked (required) must be given; " +
        "the title's name, id and version default to what an input NRO's NACP says.",
    )
    .argument("<inputs...>", "input files")
    .option("--out <file>", "(required) provenance.toml to write (paths inside are relative to its folder)")
    .option("--title-name <name>", "(required unless an input NRO has a NACP) title name")
    .option("--title-id <id>", "(required unless an input NRO has a NACP) title id, 16 hex digits")
    .option("--title-version <version>", "(required unless an input NRO has a NACP) title version")
    .option("--region <region>", "region", "unknown")
    .option("--device <device>", "(required) device or source the inputs were collected from")
    .option("--collected-at <date>", "(required) collection date, YYYY-MM-DD")
    .option("--tool-name <name>", "(required) collection tool name")
    .option("--tool-version <version>", "(required) collection tool version")
    .option("--notes <text>", "collection notes")
    .option("--role <path=role...>", "role of an input (default: derived from its format)")
    .option("--force", "overwrite an existing file")
    .action(async (inputs: string[], { json, ...flags }: Partial<ProvenanceInitOptions> & { json?: boolean }) => {
      const options = await completeOptions(inputs, flags);
      const written = await writeProvenance(inputs, options);
      if (json !== true) for (const warning of written.warnings) process.stderr.write(`${formatError(warning)}\n`);
      const summary = {
        written: options.out,
        inputs: written.count,
        title: { name: options.titleName, id: options.titleId, version: options.titleVersion },
        warnings: written.warnings.map(jsonProblem),
      };
      printResult(json, provenanceInitResultSchema, summary, `wrote ${options.out} with ${written.count} inputs\n`);
    });
}

const requiredFlags = [
  ["out", "--out"],
  ["titleName", "--title-name"],
  ["titleId", "--title-id"],
  ["titleVersion", "--title-version"],
  ["device", "--device"],
  ["collectedAt", "--collected-at"],
  ["toolName", "--tool-name"],
  ["toolVersion", "--tool-version"],
] as const;

/** The input's format; undefined when it cannot be read (writing the provenance then names the file). */
function readableFormat(input: string): DetectedFormat | undefined {
  try {
    return detectFormat(input);
  } catch {
    return undefined;
  }
}

/** Fills the title's identity from the first input NRO with a NACP, then names every flag still missing at once. */
async function completeOptions(inputs: readonly string[], flags: Partial<ProvenanceInitOptions>): Promise<ProvenanceInitOptions> {
  const filled = { ...flags };
  if (filled.titleName === undefined || filled.titleId === undefined || filled.titleVersion === undefined) {
    for (const input of inputs) {
      if (readableFormat(input) !== "nro0") continue;
      const { identity } = await readNroFacts(input);
      if (identity.source.includes("NACP")) {
        filled.titleName ??= identity.name;
        filled.titleId ??= identity.titleId;
        filled.titleVersion ??= identity.version;
        break;
      }
    }
  }
  const errors = requiredFlags
    .filter(([key]) => filled[key] === undefined)
    .map(([, flag]) => new RecompError({ code: "usage", message: `${flag} is required`, hint: `give ${flag} (see recomp provenance init --help)` }));
  if (filled.titleId !== undefined && !/^(0x)?[0-9a-fA-F]{16}$/.test(filled.titleId)) {
    errors.push(new RecompError({ code: "usage", message: `--title-id "${filled.titleId}" is not 16 hex digits`, hint: 'e.g. --title-id 0100000000010000 (homebrew without one: 0000000000000000)' }));
  }
  throwIfAny(errors);
  return filled as ProvenanceInitOptions;
}
