// engine: running one stage command. argv only (never a shell string), its own process group so a
// timeout or Ctrl-C stops everything it started, stdout/stderr streamed live into complete log files.
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { execa } from "execa";
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
}

export interface CommandResult {
  exitCode: number | null;
  /** Why the command did not finish normally, if it did not. */
  failure: "timeout" | "aborted" | "not_found" | "signal" | undefined;
  detail: string | undefined;
}

/** Grace period between SIGTERM and SIGKILL for a process group. */
const killGraceMs = 3000;

/** Splits a byte stream into lines, redacts each, and writes it to a log (and the echo). */
class LineSink {
  private pending = "";
  constructor(
    private readonly out: WriteStream,
    private readonly redactor: Redactor,
    private readonly echo: ((line: string) => void) | undefined,
  ) {}

  write(chunk: Buffer): void {
    const text = this.pending + chunk.toString("utf8");
    const lines = text.split("\n");
    this.pending = lines.pop() ?? "";
    for (const line of lines) this.emit(line, true);
  }

  end(): void {
    if (this.pending !== "") this.emit(this.pending, false);
    this.pending = "";
  }

  private emit(line: string, newline: boolean): void {
    const clean = this.redactor.apply(line);
    this.out.write(newline ? `${clean}\n` : clean);
    this.echo?.(clean);
  }
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolveClose, reject) => {
    stream.end((error?: Error | null) => (error ? reject(error) : resolveClose()));
  });
}

export async function runCommand(options: CommandOptions): Promise<CommandResult> {
  await mkdir(dirname(options.stdoutLog), { recursive: true });
  await mkdir(dirname(options.stderrLog), { recursive: true });
  const stdoutFile = createWriteStream(options.stdoutLog);
  const stderrFile = createWriteStream(options.stderrLog);
  const stdoutSink = new LineSink(stdoutFile, options.redactor, options.echo && ((line) => options.echo?.("stdout", line)));
  const stderrSink = new LineSink(stderrFile, options.redactor, options.echo && ((line) => options.echo?.("stderr", line)));

  const [program, ...args] = options.argv;
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
  child.stdout?.on("data", (chunk: Buffer) => stdoutSink.write(chunk));
  child.stderr?.on("data", (chunk: Buffer) => stderrSink.write(chunk));

  let failure: CommandResult["failure"];
  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  const stop = (why: "timeout" | "aborted") => {
    failure ??= why;
    killGroup("SIGTERM");
    setTimeout(() => killGroup("SIGKILL"), killGraceMs).unref();
  };
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => stop("timeout"), options.timeoutMs);
  const onAbort = () => stop("aborted");
  if (options.signal.aborted) onAbort();
  else options.signal.addEventListener("abort", onAbort, { once: true });

  const result = await child;
  if (timer !== undefined) clearTimeout(timer);
  options.signal.removeEventListener("abort", onAbort);
  // Whatever the command left running in its group goes too.
  killGroup("SIGKILL");
  stdoutSink.end();
  stderrSink.end();
  await Promise.all([closeStream(stdoutFile), closeStream(stderrFile)]);

  const errorCode = (result as { code?: string }).code;
  if (failure === undefined && errorCode === "ENOENT") {
    return { exitCode: null, failure: "not_found", detail: `program "${program ?? ""}" was not found (cwd ${options.cwd})` };
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
