// cli: how a failed command reports its errors: the `error[code]: file:line: message (fix)` lines on
// stderr, or with --json one JSON object on stdout (docs/cli.md, "Errors as JSON").
import { isAbsolute, relative } from "node:path";
import type { JsonProblem } from "../config/cli-results.js";
import { RecompError, formatError, type ExitCode } from "../util/errors.js";

/** Files below the working directory are shown relative to it: shorter, and clickable in terminals. */
export function shortenFile(error: RecompError): RecompError {
  const file = error.location.file;
  if (file === undefined || !isAbsolute(file)) return error;
  const rel = relative(process.cwd(), file);
  if (rel.startsWith("..") || isAbsolute(rel)) return error;
  return new RecompError({ code: error.code, message: error.message, location: { ...error.location, file: rel }, hint: error.hint, exitCode: error.exitCode });
}

/** One problem as --json prints it; absent fields are null so that every key is always there. */
export function jsonProblem(error: RecompError): JsonProblem {
  const loc = error.location;
  return {
    code: error.code,
    message: error.message,
    file: loc.file ?? null,
    key: loc.keyPath ?? null,
    line: loc.line ?? null,
    column: loc.column ?? null,
    offset: loc.offset ?? null,
    fix: error.hint ?? null,
  };
}

/** The --json error object: the first problem's fields at the top, every problem in `problems`, and the exit code. */
export function jsonErrorText(errors: readonly RecompError[], exitCode: ExitCode): string {
  const problems = errors.map((e) => jsonProblem(shortenFile(e)));
  const first = problems[0] ?? jsonProblem(new RecompError({ code: "usage", message: "unknown error" }));
  return `${JSON.stringify({ ...first, exit_code: exitCode, problems }, null, 2)}\n`;
}

/** The human form: one line per problem, then the count when there are several. */
export function errorLines(errors: readonly RecompError[]): string {
  const lines = errors.map((e) => `${formatError(shortenFile(e))}\n`);
  if (errors.length > 1) lines.push(`${errors.length} problems found.\n`);
  return lines.join("");
}
