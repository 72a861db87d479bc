/**
 * util: typed errors shared by every layer. An error is a value with a code, a location
 * (file, key path, line/column or byte offset) and a hint that says how to fix it.
 */

/** Process exit codes of every recomp command. */
export const ExitCode = {
  ok: 0,
  validationFailed: 1,
  badInput: 2,
  stageFailed: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type ErrorCode =
  | "config_syntax"
  | "config_unknown_key"
  | "config_invalid"
  | "input_missing"
  | "input_mismatch"
  | "format_invalid"
  | "format_unsupported"
  | "asset_separation"
  | "policy"
  | "tool_missing"
  | "lock_held"
  | "output_refused"
  | "io_error"
  | "stage_failed"
  | "interrupted"
  | "usage"
  | "internal";

export interface ErrorLocation {
  /** File the problem is in, as the user named it (relative where possible). */
  file?: string;
  /** Dotted key path inside a TOML/JSON file, e.g. `inputs.nro` or `events[3].time_ms`. */
  keyPath?: string;
  line?: number;
  column?: number;
  /** Byte offset inside a binary file. */
  offset?: number;
}

export interface RecompErrorInit {
  code: ErrorCode;
  message: string;
  location?: ErrorLocation;
  hint?: string;
  exitCode?: ExitCode;
  cause?: unknown;
}

export class RecompError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation;
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;

  constructor(init: RecompErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "RecompError";
    this.code = init.code;
    this.location = init.location ?? {};
    this.hint = init.hint;
    this.exitCode = init.exitCode ?? defaultExitCode(init.code);
  }
}

/** Several independent problems found in one pass: all are reported together. */
export class RecompErrorList extends Error {
  readonly errors: readonly RecompError[];
  readonly exitCode: ExitCode;

  constructor(errors: readonly RecompError[]) {
    super(errors.map(formatError).join("\n"));
    this.name = "RecompErrorList";
    this.errors = errors;
    this.exitCode = errors.some((e) => e.exitCode === ExitCode.badInput)
      ? ExitCode.badInput
      : (errors[0]?.exitCode ?? ExitCode.badInput);
  }
}

function defaultExitCode(code: ErrorCode): ExitCode {
  switch (code) {
    case "stage_failed":
    case "io_error":
      return ExitCode.stageFailed;
    case "interrupted":
      return ExitCode.interrupted;
    default:
      return ExitCode.badInput;
  }
}

/** `file:line:col: key.path: message (hint: ...)`, the form editors and terminals link. */
export function formatError(error: RecompError): string {
  const loc = error.location;
  const parts: string[] = [];
  if (loc.file !== undefined) {
    let where = loc.file;
    if (loc.line !== undefined) where += `:${loc.line}${loc.column !== undefined ? `:${loc.column}` : ""}`;
    parts.push(where);
  }
  if (loc.keyPath !== undefined) parts.push(loc.keyPath);
  if (loc.offset !== undefined) parts.push(`offset 0x${loc.offset.toString(16)}`);
  const prefix = parts.length > 0 ? `${parts.join(": ")}: ` : "";
  const hint = error.hint !== undefined ? ` (${error.hint})` : "";
  return `error[${error.code}]: ${prefix}${error.message}${hint}`;
}

/** Flattens anything thrown into the list of RecompErrors it carries (or wraps it). */
export function asRecompErrors(thrown: unknown): RecompError[] {
  if (thrown instanceof RecompErrorList) return [...thrown.errors];
  if (thrown instanceof RecompError) return [thrown];
  return [];
}

/** Throws a list when `errors` is not empty; keeps "collect all, then fail" call sites short. */
export function throwIfAny(errors: readonly RecompError[]): void {
  if (errors.length === 1 && errors[0] !== undefined) throw errors[0];
  if (errors.length > 1) throw new RecompErrorList(errors);
}

/** Runs `check` and adds the RecompErrors it throws to `errors`, so every problem is reported at once; other throws pass through. */
export async function collectErrors(errors: RecompError[], check: () => unknown): Promise<void> {
  try {
    await check();
  } catch (error) {
    const found = asRecompErrors(error);
    if (found.length === 0) throw error;
    errors.push(...found);
  }
}
