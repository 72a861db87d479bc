// engine: executing one stage: its log files, the context it runs with, and how its errors become a
// failed step (a user error or an I/O error fails the stage with a note; anything else is a bug and throws).
import { createWriteStream } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { RecompError, RecompErrorList } from "../util/errors.js";
import { ioNote, withPath } from "./io-errors.js";
import type { StageContext, StageDefinition, StageExecution, StagePlan } from "./stage.js";

export interface LogPaths {
  stdout: string;
  stderr: string;
}

export function logPathsOf(logDir: string, stage: string): LogPaths {
  return { stdout: join(logDir, `${stage}.stdout.log`), stderr: join(logDir, `${stage}.stderr.log`) };
}

/** What a stage runs with besides its own logs: the context minus the stage-specific fields. */
export type SharedContext = Omit<StageContext, "stage" | "stdoutLog" | "stderrLog" | "env" | "log" | "stagingDir">;

export interface ExecuteRequest {
  stage: StageDefinition;
  plan: StagePlan;
  env: Record<string, string>;
  logPaths: LogPaths;
  logDir: string;
  stagingDir: string;
  shared: SharedContext;
  /** Shows an internal stage's line on the terminal (with --verbose). */
  show: (line: string) => void;
}

export async function executeStage(request: ExecuteRequest): Promise<StageExecution> {
  const { stage, plan, logPaths, shared } = request;
  if (shared.signal.aborted) return { status: "interrupted", exitCode: null, notes: ["the run was interrupted before this stage"] };
  await mkdir(request.logDir, { recursive: true });
  await rm(logPaths.stdout, { force: true });
  await rm(logPaths.stderr, { force: true });
  // Internal stages write their own messages; commands' streams are captured by the command runner.
  const internalLog = plan.argv === undefined ? createWriteStream(logPaths.stdout) : undefined;
  let logError: Error | undefined;
  internalLog?.on("error", (error) => (logError ??= withPath(error, logPaths.stdout)));
  const context: StageContext = {
    ...shared,
    stage: stage.name,
    stdoutLog: logPaths.stdout,
    stderrLog: logPaths.stderr,
    env: request.env,
    log: (line) => {
      const clean = shared.redactor.apply(line);
      internalLog?.write(`${clean}\n`);
      request.show(clean);
    },
    stagingDir: request.stagingDir,
  };
  try {
    const result = await stage.execute(context, plan);
    if (internalLog !== undefined) await new Promise<void>((done) => internalLog.end(done));
    if (logError !== undefined) throw logError;
    return result;
  } catch (error) {
    if (error instanceof RecompError || error instanceof RecompErrorList) {
      const problems = error instanceof RecompErrorList ? error.errors : [error];
      for (const problem of problems) context.log(`error: ${problem.message}`);
      return { status: "failed", exitCode: null, notes: problems.map((p) => shared.redactor.apply(p.message)) };
    }
    const io = ioNote(error, shared.config.paths.configDir);
    if (io !== undefined) return { status: "failed", exitCode: null, notes: [shared.redactor.apply(io)] };
    throw error;
  } finally {
    if (internalLog !== undefined && !internalLog.closed) internalLog.destroy();
    if (plan.argv === undefined) await writeFile(logPaths.stderr, "").catch(() => undefined);
  }
}
