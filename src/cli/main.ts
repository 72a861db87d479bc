// cli: the `recomp` command line. Commands are thin: they parse flags and call the engine or a library.
import { Command, CommanderError } from "commander";
import { isAbsolute, relative } from "node:path";
import { ExitCode, RecompError, RecompErrorList, formatError } from "../util/errors.js";
import { ioError } from "../engine/io-errors.js";
import { registerCommands } from "./commands.js";

/** The last word of a failed command must not fail itself (stderr may be a closed pipe). */
function writeSafely(text: string): void {
  if (!process.stderr.destroyed) process.stderr.write(text);
}

export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command();
  program
    .name("recomp")
    .description("Static-recompilation loop for Nintendo Switch software: intake, lift, build, run, capture, validate.")
    .showHelpAfterError()
    .exitOverride();
  await registerCommands(program, argv);
  return program;
}

/** Runs the CLI and returns the process exit code (never calls process.exit itself). */
export async function main(argv: readonly string[]): Promise<number> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === "number" ? process.exitCode : ExitCode.ok;
  } catch (error) {
    return reportError(error);
  }
}

/** Files below the working directory are shown relative to it: shorter, and clickable in terminals. */
function shortenFile(error: RecompError): RecompError {
  const file = error.location.file;
  if (file === undefined || !isAbsolute(file)) return error;
  const rel = relative(process.cwd(), file);
  if (rel.startsWith("..") || isAbsolute(rel)) return error;
  return new RecompError({ code: error.code, message: error.message, location: { ...error.location, file: rel }, hint: error.hint, exitCode: error.exitCode });
}

export function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version output end in a CommanderError with exit code 0.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
  }
  if (error instanceof RecompErrorList) {
    for (const item of error.errors) process.stderr.write(`${formatError(shortenFile(item))}\n`);
    process.stderr.write(`${error.errors.length} ${error.errors.length === 1 ? "problem" : "problems"} found.\n`);
    return error.exitCode;
  }
  if (error instanceof RecompError) {
    process.stderr.write(`${formatError(shortenFile(error))}\n`);
    return error.exitCode;
  }
  const io = ioError(error);
  if (io !== undefined) {
    writeSafely(`${formatError(shortenFile(io))}\n`);
    return io.exitCode;
  }
  writeSafely(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return ExitCode.stageFailed;
}
