// engine: the walk over the stage graph once every check has passed and the lock is held. Each stage is
// skipped, reused (reuse.ts decides) or run (execute-stage.ts), its record written before and after it
// runs, and the manifest rewritten after every stage that ran.
import { join } from "node:path";
import type { StageName } from "../config/automation.js";
import type { RunManifest } from "../config/run-manifest.js";
import type { VerifiedProvenance } from "../intake/provenance.js";
import { canonicalJson } from "../util/canonical-json.js";
import { ExitCode } from "../util/errors.js";
import { sha256Hex } from "../util/hash.js";
import { fingerprintEnvironment, stageEnvironment } from "./environment.js";
import { executeStage, logPathsOf, type SharedContext } from "./execute-stage.js";
import { computeFingerprint, type Fingerprint } from "./fingerprint.js";
import type { HashCache } from "./hash-cache.js";
import type { WorkRootLock } from "./lock.js";
import { buildManifest, writeManifest, type StepEntry } from "./manifest.js";
import { manifestInputs } from "./manifest-inputs.js";
import type { Ownership } from "./output-safety.js";
import { displayPath } from "./paths.js";
import { guestCodeOf } from "./stages/compile.js";
import type { Redactor } from "./redact.js";
import type { ResolvedConfig } from "./resolved-config.js";
import { lastSucceededOutputs, outputChange, outputsKey, recordOutputs, rerunReason } from "./reuse.js";
import { watchRunAbort } from "./run-abort.js";
import { RunHistory, defaultKeptRuns } from "./run-history.js";
import type { AutomateOptions, AutomateResult } from "./runner.js";
import type { StageDefinition, StagePlan } from "./stage.js";
import { readStageState, writeStageState, type StageRecord, type StageState } from "./state.js";
import { ToolRegistry } from "./tool-versions.js";

export interface RunResources {
  hashCache: HashCache;
  provenance: VerifiedProvenance;
  redactor: Redactor;
  runId: string;
  lock: WorkRootLock;
  ownership: Ownership;
  /** recomp's own build (see recompBuildId). */
  recompBuild: string;
}

interface RunState {
  records: StageState;
  /** Stages whose outputs changed in this run (or that declare none and ran), with what changed. */
  changed: Map<StageName, string>;
  /** What each stage's dependents see of it: its outputs' identity (its fingerprint when it declares none). */
  effectiveKey: Map<StageName, string>;
  blocked: Map<StageName, string>;
}

type Stopped = { exitCode: number; status: RunManifest["result"]["status"] };

interface RunStep {
  stage: StageDefinition;
  index: number;
  plan: StagePlan;
  fingerprint: Fingerprint;
  prior: StageRecord | undefined;
  why: string;
  env: Record<string, string>;
  declared: string[];
}

export async function walkStages(
  config: ResolvedConfig,
  options: AutomateOptions,
  stages: readonly StageDefinition[],
  resources: RunResources,
): Promise<AutomateResult> {
  const { reporter } = options;
  const { hashCache, redactor, runId } = resources;
  const paths = config.paths;
  const stateFile = join(paths.stateDir, "stages.json");
  const tools = new ToolRegistry(hashCache);
  const resume = options.noResume !== true && config.raw.run?.resume !== false;
  const previous = resume ? await readStageState(stateFile) : {};
  const state: RunState = { records: { ...previous }, changed: new Map(), effectiveKey: new Map(), blocked: new Map() };
  const inputs = await manifestInputs(config, resources.provenance, hashCache);
  const history = await RunHistory.begin(paths.workRoot, runId, config.raw.run?.keep_runs ?? defaultKeptRuns);
  const fromIndex = options.from === undefined ? -1 : stages.findIndex((s) => s.name === options.from);
  const steps: StepEntry[] = [];
  let validationReport: RunManifest["validation_report"] = null;
  let stopped: Stopped | undefined;

  const abort = watchRunAbort(options.stop, config.raw.policy?.max_runtime_minutes);
  // Every process the run starts carries its id: a later run can find what a killed one left behind.
  const priorRunId = process.env.RECOMP_RUN_ID;
  process.env.RECOMP_RUN_ID = runId;
  const shared: SharedContext = {
    config,
    runId,
    hashCache,
    tools,
    provenance: resources.provenance,
    redactor,
    signal: abort.signal,
    verbose: options.verbose === true,
    echo: (name, stream, line) => reporter.output(name, stream, line),
    groups: { add: (pgid) => resources.lock.addGroup(pgid), remove: (pgid) => resources.lock.removeGroup(pgid) },
  };

  const manifestNow = async (result: RunManifest["result"]): Promise<RunManifest> => {
    const manifest = buildManifest({ runId, toolVersions: await tools.all(), inputs, steps, validationReport, result });
    await writeStageState(stateFile, state.records);
    await history.keepManifest(await writeManifest(paths.runManifest, manifest, redactor));
    return manifest;
  };

  reporter.start(stages.map((s) => s.name));
  // Until the run ends, its manifest says interrupted: that is what a killed run leaves behind.
  const inProgress = { status: "interrupted", exit_code: ExitCode.interrupted } as const;
  try {
    await manifestNow(inProgress);
    for (const [index, stage] of stages.entries()) {
      const entry = await stepFor(stage, index);
      steps.push(entry);
      reporter.stageDone(stage.name, { status: entry.record.status, cacheHit: entry.cacheHit, durationMs: entry.record.duration_ms, notes: entry.record.notes });
      if (entry.record.validation !== null && entry.record.status === "succeeded") {
        validationReport = { path: entry.record.validation.report_path, passed: entry.record.validation.passed };
      }
      if (stopped === undefined && (entry.record.status === "failed" || entry.record.status === "interrupted")) {
        stopped =
          entry.record.status === "interrupted"
            ? { exitCode: ExitCode.interrupted, status: "interrupted" }
            : { exitCode: ExitCode.stageFailed, status: "stage_failed" };
      }
      // A reused or skipped stage's record needs no write of its own (a run killed now redoes the same decision):
      // it is written with the next stage that runs, or at the end.
      if (!entry.cacheHit && entry.record.status !== "skipped") await manifestNow(inProgress);
    }
  } finally {
    abort.dispose();
    if (priorRunId === undefined) delete process.env.RECOMP_RUN_ID;
    else process.env.RECOMP_RUN_ID = priorRunId;
    reporter.finish();
  }
  const outcome =
    stopped ??
    (validationReport !== null && !validationReport.passed
      ? { exitCode: ExitCode.validationFailed, status: "validation_failed" as const }
      : config.reference === undefined && paths.emulatedReferenceDir === undefined
        ? { exitCode: ExitCode.ok, status: "no_reference" as const }
        : { exitCode: ExitCode.ok, status: "passed" as const });
  const manifest = await manifestNow({ status: outcome.status, exit_code: outcome.exitCode });
  const noReference =
    outcome.status === "no_reference"
      ? {
          referenceVideoToml: paths.referenceVideoToml,
          captureVideoToml: paths.captureVideoToml,
          hashLists: [paths.captureFrameHashes, ...(paths.captureAudioHashes === undefined ? [] : [paths.captureAudioHashes])],
        }
      : undefined;
  return {
    exitCode: outcome.exitCode,
    manifest,
    manifestPath: paths.runManifest,
    configDir: paths.configDir,
    assetsDir: paths.assetsDir,
    guestCode: guestCodeOf(config),
    ...(noReference === undefined ? {} : { noReference }),
  };

  /** Decides, runs or reuses one stage, and returns its manifest step. */
  async function stepFor(stage: StageDefinition, index: number): Promise<StepEntry> {
    const decisionStarted = performance.now();
    const plan = stage.plan(config);
    const logPaths = logPathsOf(paths.logDir, stage.name);
    const logs = { stdoutPath: displayPath(paths.configDir, logPaths.stdout), stderrPath: displayPath(paths.configDir, logPaths.stderr) };
    const upstream: Record<string, string> = {};
    for (const dep of stage.dependsOn) upstream[dep] = state.effectiveKey.get(dep) ?? "absent";
    const blockedBy = stage.dependsOn.map((dep) => state.blocked.get(dep)).find((why) => why !== undefined);
    if (plan.skip !== undefined || blockedBy !== undefined || stopped !== undefined) return skipStep(stage, plan.skip, blockedBy, upstream);

    const env = stageEnvironment(config, runId, stage.name);
    const fingerprint = await computeFingerprint({
      stage: stage.name,
      plan,
      configDir: paths.configDir,
      hashCache,
      tools,
      upstream,
      recompBuild: resources.recompBuild,
      env: fingerprintEnvironment(env, paths.configDir),
    });
    const prior = previous[stage.name];
    const forced =
      options.force === true ? "--force" : fromIndex >= 0 && index >= fromIndex ? `--from ${options.from ?? ""}` : !resume ? "resume is off" : undefined;
    const reason = await rerunReason({ stage, plan, fingerprint, prior, forced, changed: state.changed, configDir: paths.configDir, hashCache });
    const declared = plan.outputs.map((o) => displayPath(paths.configDir, o.path));

    if (reason === undefined && prior !== undefined) {
      state.effectiveKey.set(stage.name, plan.outputs.length > 0 ? outputsKey(prior.outputs) : fingerprint.value);
      const record: StageRecord = {
        ...prior,
        // This run's cost of the stage: fingerprinting and verifying its outputs.
        duration_ms: Math.round(performance.now() - decisionStarted),
        declared_outputs: declared,
        notes: [`reused: fingerprint unchanged, ${prior.outputs.length} outputs verified`],
      };
      state.records[stage.name] = record;
      return { name: stage.name, record, cacheHit: true, ...logs };
    }

    return runStep({ stage, index, plan, fingerprint, prior, why: reason ?? "first run", env, declared });
  }

  /** Runs one stage: recorded as interrupted first, then with its outputs hashed (or why it failed). */
  async function runStep(step: RunStep): Promise<StepEntry> {
    const { stage, index, plan, fingerprint, prior, why, env, declared } = step;
    const logPaths = logPathsOf(paths.logDir, stage.name);
    const logs = { stdoutPath: displayPath(paths.configDir, logPaths.stdout), stderrPath: displayPath(paths.configDir, logPaths.stderr) };
    const attempt =
      prior !== undefined && prior.fingerprint === fingerprint.value && prior.status !== "succeeded" && prior.status !== "skipped"
        ? prior.stage_attempt + 1
        : 1;
    const base = {
      fingerprint: fingerprint.value,
      components: fingerprint.components,
      details: fingerprint.details,
      stage_attempt: attempt,
      command: plan.argv ?? null,
      declared_outputs: declared,
      validation: null,
    };
    const lastOutputs = lastSucceededOutputs(prior);
    // Kept until the stage succeeds again: what its dependents last read, for early cutoff.
    const keptOutputs = lastOutputs === undefined ? {} : { last_outputs: [...lastOutputs] };
    // Written before the stage starts (its outputs claimed as recomp's): a run killed now leaves a
    // record that says interrupted, so the next run re-runs the stage instead of trusting old outputs.
    await resources.ownership.claim(plan.outputs.map((o) => o.path));
    state.records[stage.name] = {
      ...base,
      status: "interrupted",
      exit_code: null,
      duration_ms: 0,
      outputs: [],
      ...keptOutputs,
      notes: [redactor.apply(`ran: ${why}`), "interrupted: the run stopped while this stage ran"],
    };
    await writeStageState(stateFile, state.records);
    reporter.stageRunning(stage.name, redactor.apply(why));
    const started = performance.now();
    const execution = await executeStage({
      stage,
      plan,
      env,
      logPaths,
      logDir: paths.logDir,
      stagingDir: join(paths.stateDir, "staging", stage.name),
      shared,
      show: (line) => {
        if (options.verbose === true) reporter.output(stage.name, "stdout", line);
      },
    });
    const duration = performance.now() - started;
    let outputs: StageRecord["outputs"] = [];
    const notes = [`ran: ${why}`, ...execution.notes];
    if (execution.status === "succeeded") {
      // Files an earlier stage recorded (e.g. generated sources inside build_dir) stay theirs.
      const claimed = new Set(stages.slice(0, index).flatMap((earlier) => (state.records[earlier.name]?.outputs ?? []).map((o) => o.path)));
      outputs = await recordOutputs(plan, execution.files, claimed, paths.configDir, hashCache);
      const change = outputChange(plan, fingerprint.value, prior, outputs);
      state.effectiveKey.set(stage.name, change.key);
      if (change.changed !== undefined) state.changed.set(stage.name, change.changed);
      if (change.note !== undefined) notes.push(change.note);
    } else {
      state.effectiveKey.set(stage.name, fingerprint.value);
      state.changed.set(stage.name, `it ${execution.status}`);
      state.blocked.set(stage.name, `not run: ${stage.name} ${execution.status}`);
    }
    const aborted = abort.reason();
    if (aborted === "max_runtime" && execution.status === "interrupted") {
      execution.status = "failed";
      notes.push(`aborted: policy.max_runtime_minutes (${String(config.raw.policy?.max_runtime_minutes)}) exceeded`);
    }
    if (aborted === "output_closed" && execution.status === "interrupted") {
      execution.status = "failed";
      notes.push("aborted: the terminal output was closed (EPIPE)");
    }
    const record: StageRecord = {
      ...base,
      status: execution.status,
      exit_code: execution.exitCode,
      duration_ms: Math.round(duration),
      outputs,
      ...(execution.status === "succeeded" ? {} : keptOutputs),
      notes: notes.map((n) => redactor.apply(n)),
      validation:
        execution.validation === undefined
          ? null
          : { passed: execution.validation.passed, report_path: displayPath(paths.configDir, execution.validation.reportPath) },
    };
    state.records[stage.name] = record;
    await history.keepLogs([logPaths.stdout, logPaths.stderr]);
    return { name: stage.name, record, cacheHit: false, ...logs };
  }

  /** A stage the config does not need, or one that cannot run (an upstream stage failed, the run stopped). */
  function skipStep(stage: StageDefinition, skip: string | undefined, blockedBy: string | undefined, upstream: Record<string, string>): StepEntry {
    const note = skip ?? blockedBy ?? `not run: ${stopped?.status === "interrupted" ? "the run was interrupted" : "an earlier stage failed"}`;
    if (skip === undefined) state.blocked.set(stage.name, note);
    state.effectiveKey.set(stage.name, sha256Hex(canonicalJson({ skipped: stage.name, upstream })));
    // A skipped stage passes an upstream change on to what depends on it.
    const changedDep = stage.dependsOn.find((dep) => state.changed.has(dep));
    if (changedDep !== undefined) state.changed.set(stage.name, `${changedDep}: ${state.changed.get(changedDep) ?? ""}`);
    const record: StageRecord = {
      fingerprint: null,
      components: {},
      status: "skipped",
      stage_attempt: 0,
      exit_code: null,
      duration_ms: 0,
      command: null,
      outputs: [],
      declared_outputs: [],
      notes: [note],
      validation: null,
    };
    // Keep the last real record of a stage that was only blocked: it is still valid for resuming.
    if (skip !== undefined) state.records[stage.name] = record;
    return { name: stage.name, record, cacheHit: false, stdoutPath: null, stderrPath: null };
  }
}
