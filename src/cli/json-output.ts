// cli: `--json` on commands that print a result: the result as one JSON object on stdout instead of
// text (errors are handled once for every command in main.ts, as docs/cli.md describes).
import type { Command } from "commander";

export function jsonOption(command: Command): Command {
  return command.option("--json", "print the result as one JSON object on stdout (errors too, see docs/cli.md)");
}

/** Prints `result` as JSON with --json, else `text` (already ending in a newline, or empty). */
export function printResult(json: boolean | undefined, result: Record<string, unknown>, text: string): void {
  process.stdout.write(json === true ? `${JSON.stringify(result, null, 2)}\n` : text);
}
