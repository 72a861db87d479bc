// engine: stages that run a user command from [commands] (or [analysis]).
import { statSync } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import type { StageName } from "../../config/automation.js";
import { runCommand } from "../command.js";
import { encoderInsideFfmpeg } from "../tool-versions.js";
import { displayPath } from "../paths.js";
import type { ResolvedConfig } from "../resolved-config.js";
import { stageTimeoutMs } from "../resolved-config.js";
import { isInside } from "../../intake/asset-separation.js";
import { skipPlan, type DeclaredOutput, type StageContext, type StageDefinition, type StageExecution, type StagePlan } from "../stage.js";

export interface CommandStageSpec {
  name: StageName;
  dependsOn: StageName[];
  /** The argv, or a reason to skip. */
  argv(config: ResolvedConfig): string[] | { skip: string };
  outputs(config: ResolvedConfig): DeclaredOutput[];
  /** Files the command reads that its argv does not name. */
  inputs?(config: ResolvedConfig): { role: string; path: string }[];
}

/** libx264 is an input of an ffmpeg command that encodes with it: its identity includes the CPU features it uses. */
function encodersOf(program: string, argv: readonly string[]): string[] {
  return program === "ffmpeg" && argv.includes(encoderInsideFfmpeg) ? [encoderInsideFfmpeg] : [];
}

/** A command stage's plan: its argv, the scripts it names and the program's identity are inputs. */
export function commandPlan(config: ResolvedConfig, argv: string[], outputs: DeclaredOutput[]): StagePlan {
  const dir = config.paths.configDir;
  const program = argv[0] ?? "";
  const bare = !program.includes("/");
  const inputFiles: StagePlan["inputFiles"] = [];
  if (!bare) inputFiles.push({ role: "program", path: isAbsolute(program) ? program : resolve(dir, program) });
  // Arguments naming existing files under the config folder (scripts, configs) are inputs too; files
  // under the work root are produced by upstream stages and covered by their fingerprints.
  argv.slice(1).forEach((arg, index) => {
    if (arg.startsWith("-") || arg.includes("\n")) return;
    const candidate = resolve(dir, arg);
    if (isInside(candidate, dir) && !isInside(candidate, config.paths.workRoot) && statSync(candidate, { throwIfNoEntry: false })?.isFile() === true) {
      inputFiles.push({ role: `argument ${index + 1}`, path: candidate });
    }
  });
  return {
    settings: { argv, cwd: "." },
    inputFiles,
    inputFolders: [],
    argv,
    tools: bare ? [program, ...encodersOf(program, argv)] : [],
    internal: false,
    outputs,
  };
}

/**
 * Before a command runs: its output files are removed (a failed command cannot leave last run's file
 * looking new), parent folders exist, and an exclusive output folder is emptied. Every one of them
 * was checked before the run to be recomp's own (output-safety.ts) and claimed before this stage.
 */
async function prepareOutputs(outputs: readonly DeclaredOutput[]): Promise<void> {
  for (const output of outputs) {
    if (output.kind === "file") {
      await rm(output.path, { force: true });
      await mkdir(dirname(output.path), { recursive: true });
    } else {
      if (output.exclusive === true) await rm(output.path, { recursive: true, force: true });
      await mkdir(output.path, { recursive: true });
    }
  }
}

export async function executeCommand(context: StageContext, plan: StagePlan): Promise<StageExecution> {
  const { config } = context;
  await prepareOutputs(plan.outputs);
  const result = await runCommand({
    argv: plan.argv ?? [],
    cwd: config.paths.configDir,
    env: context.env,
    stdoutLog: context.stdoutLog,
    stderrLog: context.stderrLog,
    timeoutMs: stageTimeoutMs(config, context.stage),
    signal: context.signal,
    redactor: context.redactor,
    echo: context.verbose ? (stream, line) => context.echo(context.stage, stream, line) : undefined,
    groups: context.groups,
  });
  const notes = result.detail === undefined ? [] : [result.detail];
  if (result.failure === "aborted") return { status: "interrupted", exitCode: result.exitCode, notes };
  if (result.failure !== undefined || result.exitCode !== 0) {
    if (result.failure === undefined) notes.push(`exited with code ${String(result.exitCode)}; see ${displayPath(config.paths.configDir, context.stderrLog)}`);
    return { status: "failed", exitCode: result.exitCode, notes };
  }
  const missing: string[] = [];
  for (const output of plan.outputs) {
    const info = await stat(output.path).catch(() => undefined);
    if (info === undefined || (output.kind === "folder") !== info.isDirectory()) missing.push(displayPath(config.paths.configDir, output.path));
  }
  if (missing.length > 0) {
    return { status: "failed", exitCode: result.exitCode, notes: [`the command succeeded but did not write ${missing.join(", ")}`] };
  }
  return { status: "succeeded", exitCode: 0, notes };
}

export function commandStage(spec: CommandStageSpec): StageDefinition {
  return {
    name: spec.name,
    dependsOn: spec.dependsOn,
    plan(config) {
      const argv = spec.argv(config);
      if (!Array.isArray(argv)) return skipPlan(argv.skip);
      const plan = commandPlan(config, argv, spec.outputs(config));
      plan.inputFiles.push(...(spec.inputs?.(config) ?? []));
      return plan;
    },
    execute: executeCommand,
  };
}
