// cli: `--json` on commands that print a result: the result as one JSON object on stdout instead of
// text (errors are handled once for every command in main.ts, as docs/cli.md describes). Each result
// is checked against its schema (src/config/cli-results.ts), the one definition docs and editors see.
import type { Command } from "commander";
import type { z } from "zod";

export function jsonOption(command: Command): Command {
  return command.option("--json", "print the result as one JSON object on stdout (errors too, see docs/cli.md)");
}

/** Prints `result` (checked against `schema`) as JSON with --json, else `text` (already ending in a newline, or empty). */
export function printResult<S extends z.ZodType>(json: boolean | undefined, schema: S, result: z.input<S>, text: string): void {
  process.stdout.write(json === true ? `${JSON.stringify(schema.parse(result), null, 2)}\n` : text);
}
