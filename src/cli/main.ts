// cli: the `recomp` command line. Commands are thin: they parse flags and call the engine or a library.
import { Command, CommanderError } from "commander";
import { config as zodConfig } from "zod";
import { ExitCode, RecompError, RecompErrorList } from "../util/errors.js";
import { recompVersion } from "../util/version.js";
import { errorLines, jsonErrorText } from "./error-output.js";
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
    .version(recompVersion(), "-V, --version", "print recomp's version")
    .showHelpAfterError()
    .exitOverride();
  await registerCommands(program, argv);
  return program;
}

/** Runs the CLI and returns the process exit code (never calls process.exit itself). */
export async function main(argv: readonly string[]): Promise<number> {
  zodConfig({ jitless: true });
  const program = await buildProgram(argv);
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === "number" ? process.exitCode : ExitCode.ok;
  } catch (error) {
    // Only recomp's own flags count: what follows `--` belongs to the program `replay run` starts.
    const own = argv.includes("--") ? argv.slice(0, argv.indexOf("--")) : argv;
    return reportError(error, own.includes("--json"));
  }
}

/** Prints `errors` on stderr, or as one JSON object on stdout with --json; returns the exit code. */
function reportProblems(errors: readonly RecompError[], exitCode: ExitCode, json: boolean): ExitCode {
  if (json) process.stdout.write(jsonErrorText(errors, exitCode));
  else writeSafely(errorLines(errors));
  return exitCode;
}

export function reportError(error: unknown, json = false): number {
  if (error instanceof CommanderError) {
    // Help and version output end in a CommanderError with exit code 0; commander printed the rest.
    if (error.exitCode === 0) return ExitCode.ok;
    if (json) process.stdout.write(jsonErrorText([new RecompError({ code: "usage", message: error.message.replace(/^error: /, ""), hint: "see recomp --help" })], ExitCode.badInput));
    return ExitCode.badInput;
  }
  if (error instanceof RecompErrorList) return reportProblems(error.errors, error.exitCode, json);
  if (error instanceof RecompError) return reportProblems([error], error.exitCode, json);
  const io = ioError(error);
  if (io !== undefined) return reportProblems([io], io.exitCode, json);
  const internal = error instanceof Error ? (error.stack ?? error.message) : String(error);
  if (json) process.stdout.write(jsonErrorText([new RecompError({ code: "internal", message: internal, exitCode: ExitCode.stageFailed })], ExitCode.stageFailed));
  else writeSafely(`internal error: ${internal}\n`);
  return ExitCode.stageFailed;
}
