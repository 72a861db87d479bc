// engine: the checks of a run's plan made before any stage runs: every output recomp would write is
// safe to write (see output-safety.ts) and every stage program exists and is executable.
import { resolve } from "node:path";
import type { StageName } from "../config/automation.js";
import type { VerifiedProvenance } from "../intake/provenance.js";
import { isInside } from "../intake/asset-separation.js";
import { RecompError, throwIfAny } from "../util/errors.js";
import { configuredOutputs } from "./output-keys.js";
import type { OutputCheck } from "./output-safety.js";
import { executableState, searchPath } from "../util/program-path.js";
import type { ResolvedConfig } from "./resolved-config.js";
import type { StagePlan } from "./stage.js";

export interface PlannedStage {
  name: StageName;
  plan: StagePlan;
}

/** The config key that names each output path (the first key, when several name one path). */
function outputKeys(config: ResolvedConfig): Map<string, string> {
  const map = new Map<string, string>();
  for (const { path, key } of configuredOutputs(config)) if (!map.has(path)) map.set(path, key);
  return map;
}

/** Every path the run writes: the work root's own files and each stage's declared outputs. */
export function outputChecks(config: ResolvedConfig, stages: readonly PlannedStage[]): OutputCheck[] {
  const keys = outputKeys(config);
  const p = config.paths;
  const checks: OutputCheck[] = [
    { path: p.workRoot, key: "outputs.work_root", kind: "folder" },
    { path: p.logDir, key: "outputs.log_dir", kind: "folder" },
    { path: p.runManifest, key: "outputs.run_manifest", kind: "file" },
  ];
  for (const { name, plan } of stages) {
    if (plan.skip !== undefined) continue;
    for (const output of plan.outputs) {
      const key = keys.get(output.path) ?? `output of the ${name} stage`;
      checks.push({ path: output.path, key, kind: output.kind, exclusive: output.exclusive });
    }
  }
  const seen = new Set<string>();
  return checks.filter((c) => {
    const id = `${c.key}\u0000${c.path}\u0000${String(c.exclusive)}`;
    return seen.has(id) ? false : (seen.add(id), true);
  });
}

/**
 * Everything the run reads that no stage writes: the config files, provenance inputs, and the stage
 * inputs that lie outside the work root and every output folder (those are earlier stages' outputs).
 */
export function inputPaths(config: ResolvedConfig, provenance: VerifiedProvenance, stages: readonly PlannedStage[]): string[] {
  const p = config.paths;
  const produced = [p.workRoot, ...outputChecks(config, stages).filter((o) => o.kind === "folder").map((o) => o.path)];
  // A reference made by emulation is an output of this run, not an input.
  const referenceInput = p.emulatedReferenceDir === undefined ? p.referenceVideoToml : undefined;
  const configured = [p.configFile, p.provenance, p.title, referenceInput, p.captureVideoToml, p.validationConfigToml, p.inputScriptToml];
  const stageInputs = stages
    .flatMap(({ plan }) => [...plan.inputFiles, ...plan.inputFolders].map((i) => i.path))
    .filter((path) => !produced.some((folder) => isInside(path, folder)));
  const listed = [...configured, ...provenance.inputs.map((input) => input.absolutePath), ...stageInputs];
  return [...new Set(listed.filter((path): path is string => path !== undefined && path !== ""))];
}

function argvKey(stage: StageName): string {
  return stage === "analysis" ? "analysis.command" : `commands.${stage}`;
}

/** Every stage program exists and may be executed: named before anything runs. */
export function checkPrograms(config: ResolvedConfig, stages: readonly PlannedStage[]): void {
  const errors: RecompError[] = [];
  for (const { name, plan } of stages) {
    const program = plan.argv?.[0];
    if (plan.skip !== undefined || program === undefined) continue;
    const byPath = program.includes("/");
    const state = byPath ? executableState(resolve(config.paths.configDir, program)) : searchPath(program).state;
    if (state === "ok") continue;
    errors.push(
      new RecompError({
        code: "tool_missing",
        message:
          state === "missing"
            ? `program "${program}" ${byPath ? `does not exist (${resolve(config.paths.configDir, program)})` : "was not found on PATH"}`
            : `program "${program}" is not executable`,
        location: { file: config.paths.configFile, keyPath: argvKey(name) },
        hint:
          state === "missing"
            ? byPath
              ? "paths in argv resolve against the folder of automation.toml"
              : "install it, or give its path"
            : `chmod +x it, or run it through its interpreter (e.g. ["sh", "${program}"])`,
      }),
    );
  }
  throwIfAny(errors);
}
