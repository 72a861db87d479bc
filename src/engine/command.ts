// engine: running one stage command. argv only (never a shell string), its own process group so a
// timeout or Ctrl-C stops everything it started (the group is recorded in the lock, so a run that
// finds this one dead can stop it too), stdout/stderr streamed live into complete log files.
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { Readable } from "node:stream";
import { withPath } from "./io-errors.js";
import { LineSink } from "./line-sink.js";
import type { Redactor } from "./redact.js";

export interface CommandOptions {
  argv: readonly string[];
  cwd: string;
  env: Record<string, string>;
  stdoutLog: string;
  stderrLog: string;
  timeoutMs: number | undefined;
  signal: AbortSignal;
  redactor: Redactor;
  /** Called with each complete (redacted) output line, for --verbose. */
  echo?: (stream: "stdout" | "stderr", line: string) => void;
  /** Records the command's process group while it runs. */
  groups?: { add(pgid: number): Promise<void>; remove(pgid: number): Promise<void> };
}

export interface CommandResult {
  exitCode: number | null;
  /** Why the command did not finish normally, if it did not. */
  failure: "timeout" | "aborted" | "not_found" | "not_executable" | "signal" | undefined;
  detail: string | undefined;
}

/** Grace period between SIGTERM and SIGKILL for a process group. */
const killGraceMs = 3000;

function closeStream(stream: WriteStream, path: string): Promise<void> {
  return new Promise((resolveClose, reject) => {
    stream.once("error", (error) => reject(withPath(error, path)));
    stream.end(() => resolveClose());
  });
}

/** Streams `source` into a sink, pausing the command while the log file catches up. */
function pipeInto(source: Readable | null, sink: LineSink, log: WriteStream): void {
  source?.on("data", (chunk: Buffer) => {
    if (!sink.write(chunk)) {
      source.pause();
      log.once("drain", () => source.resume());
    }
  });
}

export async function runCommand(options: CommandOptions): Promise<CommandResult> {
  await mkdir(dirname(options.stdoutLog), { recursive: true });
  await mkdir(dirname(options.stderrLog), { recursive: true });
  // New files, not truncated old ones: the run history keeps the previous logs by hard link.
  await rm(options.stdoutLog, { force: true });
  await rm(options.stderrLog, { force: true });
  const stdoutFile = createWriteStream(options.stdoutLog);
  const stderrFile = createWriteStream(options.stderrLog);
  // A log that cannot be written (disk full) fails the stage once the command is stopped. The listeners
  // are there from the start: an error while the process group is being recorded must not go unhandled.
  let logError: Error | undefined;
  let onLogError = (error: Error): void => {
    logError ??= error;
  };
  stdoutFile.on("error", (error) => onLogError(withPath(error, options.stdoutLog)));
  stderrFile.on("error", (error) => onLogError(withPath(error, options.stderrLog)));
  const stdoutSink = new LineSink(stdoutFile, options.redactor, options.echo && ((line) => options.echo?.("stdout", line)));
  const stderrSink = new LineSink(stderrFile, options.redactor, options.echo && ((line) => options.echo?.("stderr", line)));

  const [program, ...args] = options.argv;
  // Loaded on first use: a no-op re-run spawns nothing and need not load execa.
  const { execa } = await import("execa");
  const child = execa(program ?? "", args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    detached: true,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    reject: false,
    buffer: false,
    cleanup: true,
  });
  // Listeners first: output that arrives while the group is being recorded must not be lost.
  pipeInto(child.stdout, stdoutSink, stdoutFile);
  pipeInto(child.stderr, stderrSink, stderrFile);
  const pgid = child.pid;
  if (pgid !== undefined) await options.groups?.add(pgid);

  let failure: CommandResult["failure"];
  const killGroup = (signal: NodeJS.Signals) => {
    if (pgid === undefined) return;
    try {
      process.kill(-pgid, signal);
    } catch {
      // The group is already gone.
    }
  };
  const stop = (why: "timeout" | "aborted") => {
    failure ??= why;
    killGroup("SIGTERM");
    setTimeout(() => killGroup("SIGKILL"), killGraceMs).unref();
  };
  onLogError = (error: Error) => {
    logError ??= error;
    stop("aborted");
  };
  if (logError !== undefined) stop("aborted");
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => stop("timeout"), options.timeoutMs);
  const onAbort = () => stop("aborted");
  if (options.signal.aborted) onAbort();
  else options.signal.addEventListener("abort", onAbort, { once: true });

  const result = await child;
  if (timer !== undefined) clearTimeout(timer);
  options.signal.removeEventListener("abort", onAbort);
  // Whatever the command left running in its group goes too.
  killGroup("SIGKILL");
  if (pgid !== undefined) await options.groups?.remove(pgid);
  stdoutSink.end();
  stderrSink.end();
  await Promise.all([closeStream(stdoutFile, options.stdoutLog), closeStream(stderrFile, options.stderrLog)]).catch((error: unknown) => {
    logError ??= error as Error;
  });
  if (logError !== undefined) throw logError;

  return outcome(result, failure, program ?? "", options);
}

/** What the finished command's result means: the failure the engine caused or saw, with its detail. */
function outcome(result: { exitCode?: number; signal?: string }, failure: CommandResult["failure"], program: string, options: CommandOptions): CommandResult {
  const errorCode = (result as { code?: string }).code;
  if (failure === undefined && errorCode === "ENOENT") {
    return { exitCode: null, failure: "not_found", detail: `program "${program}" was not found (cwd ${options.cwd})` };
  }
  if (failure === undefined && errorCode === "EACCES") {
    return { exitCode: null, failure: "not_executable", detail: `program "${program}" is not executable (cwd ${options.cwd}); chmod +x it or run it through its interpreter` };
  }
  if (failure === undefined && result.exitCode === undefined && result.signal !== undefined) {
    return { exitCode: null, failure: "signal", detail: `killed by ${result.signal}` };
  }
  return {
    exitCode: result.exitCode ?? null,
    failure,
    detail:
      failure === "timeout"
        ? `timed out after ${Math.round((options.timeoutMs ?? 0) / 1000)} s; its process group was stopped`
        : failure === "aborted"
          ? "stopped: the run was interrupted"
          : undefined,
  };
}
