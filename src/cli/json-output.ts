// cli: `--json` on commands that print a result: the result as one JSON object on stdout instead of
// text (errors are handled once for every command in main.ts, as docs/cli.md describes). Each result
// is checked against its schema (src/config/cli-results.ts), the one definition docs and editors see.
import type { Command } from "commander";
import type { z } from "zod";

export function jsonOption(command: Command): Command {
  return command.option("--json", "print the result as one JSON object on stdout (errors too, see docs/cli.md)");
}

const prettyJson = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Prints `result` as JSON with --json (checked against `schema` first: a result that does not match
 * what docs and editors promise is a bug, reported as one), else `text` (ending in a newline, or empty).
 */
export function printResult<S extends z.ZodType>(json: boolean | undefined, schema: S, result: z.input<S>, text: string, format = prettyJson): void {
  if (json !== true) {
    process.stdout.write(text);
    return;
  }
  schema.parse(result);
  process.stdout.write(format(result));
}
