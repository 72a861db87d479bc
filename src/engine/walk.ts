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
import { RunHistory, keptRuns } from "./run-history.js";
import type { AutomateOptions, AutomateResult } from "./runner.js";
import type { StageDefinition, StageExecution, StagePlan } from "./stage.js";
import { readStageState, writeStageState, type StageRecord, type StageState } from "./state.js";
import { ToolRegistry } from "./tool-versions.js";
import { monotonicMs } from "../util/monotonic.js";

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
  const resume = options.noResume !== true && config.raw.run?.resume !== false;
  const stateFile = join(config.paths.stateDir, "stages.json");
  const previous = resume ? await readStageState(stateFile) : {};
  const inputs = await manifestInputs(config, resources.provenance, resources.hashCache);
  const history = await RunHistory.begin(config.paths.workRoot, resources.runId, keptRuns(config));
  return new StageWalk({ config, options, stages, resources, resume, stateFile, previous, inputs, history }).run();
}

interface WalkSetup {
  config: ResolvedConfig;
  options: AutomateOptions;
  stages: readonly StageDefinition[];
  resources: RunResources;
  resume: boolean;
  stateFile: string;
  previous: StageState;
  inputs: Awaited<ReturnType<typeof manifestInputs>>;
  history: RunHistory;
}

/** One run's walk: the stages in order, each skipped, reused or run, the manifest rewritten as it goes. */
class StageWalk {
  private readonly config: ResolvedConfig;
  private readonly options: AutomateOptions;
  private readonly stages: readonly StageDefinition[];
  private readonly resources: RunResources;
  private readonly setup: WalkSetup;
  private readonly paths: ResolvedConfig["paths"];
  private readonly tools: ToolRegistry;
  private readonly state: RunState;
  private readonly fromIndex: number;
  private readonly steps: StepEntry[] = [];
  private validationReport: RunManifest["validation_report"] = null;
  private stopped: Stopped | undefined;
  private readonly abort: ReturnType<typeof watchRunAbort>;
  private readonly shared: SharedContext;

  constructor(setup: WalkSetup) {
    const { config, options, stages, resources } = setup;
    this.setup = setup;
    this.config = config;
    this.options = options;
    this.stages = stages;
    this.resources = resources;
    this.paths = config.paths;
    this.tools = new ToolRegistry(resources.hashCache);
    this.state = { records: { ...setup.previous }, changed: new Map(), effectiveKey: new Map(), blocked: new Map() };
    this.fromIndex = options.from === undefined ? -1 : stages.findIndex((s) => s.name === options.from);
    this.abort = watchRunAbort(options.stop, config.raw.policy?.max_runtime_minutes);
    this.shared = {
      config,
      runId: resources.runId,
      hashCache: resources.hashCache,
      tools: this.tools,
      provenance: resources.provenance,
      redactor: resources.redactor,
      signal: this.abort.signal,
      verbose: options.verbose === true,
      echo: (name, stream, line) => options.reporter.output(name, stream, line),
      groups: { add: (pgid) => resources.lock.addGroup(pgid), remove: (pgid) => resources.lock.removeGroup(pgid) },
    };
  }

  async run(): Promise<AutomateResult> {
    const { reporter } = this.options;
    // Every process the run starts carries its id: a later run can find what a killed one left behind.
    const priorRunId = process.env.RECOMP_RUN_ID;
    process.env.RECOMP_RUN_ID = this.resources.runId;
    reporter.start(this.stages.map((s) => s.name));
    try {
      await this.manifestNow(inProgress);
      for (const [index, stage] of this.stages.entries()) await this.walkOne(stage, index);
    } finally {
      this.abort.dispose();
      if (priorRunId === undefined) delete process.env.RECOMP_RUN_ID;
      else process.env.RECOMP_RUN_ID = priorRunId;
      reporter.finish();
    }
    return this.result();
  }

  private async manifestNow(result: RunManifest["result"]): Promise<RunManifest> {
    const { runId, redactor } = this.resources;
    const manifest = buildManifest({ runId, toolVersions: await this.tools.all(), inputs: this.setup.inputs, steps: this.steps, validationReport: this.validationReport, result });
    await writeStageState(this.setup.stateFile, this.state.records);
    await this.setup.history.keepManifest(await writeManifest(this.paths.runManifest, manifest, redactor));
    return manifest;
  }

  private async walkOne(stage: StageDefinition, index: number): Promise<void> {
    const entry = await this.stepFor(stage, index);
    this.steps.push(entry);
    this.options.reporter.stageDone(stage.name, { status: entry.record.status, cacheHit: entry.cacheHit, durationMs: entry.record.duration_ms, notes: entry.record.notes });
    if (entry.record.validation !== null && entry.record.status === "succeeded") {
      this.validationReport = { path: entry.record.validation.report_path, passed: entry.record.validation.passed };
    }
    if (this.stopped === undefined && (entry.record.status === "failed" || entry.record.status === "interrupted")) {
      this.stopped =
        entry.record.status === "interrupted"
          ? { exitCode: ExitCode.interrupted, status: "interrupted" }
          : { exitCode: ExitCode.stageFailed, status: "stage_failed" };
    }
    // A reused or skipped stage's record needs no write of its own (a run killed now redoes the same decision):
    // it is written with the next stage that runs, or at the end.
    if (!entry.cacheHit && entry.record.status !== "skipped") await this.manifestNow(inProgress);
  }

  private async result(): Promise<AutomateResult> {
    const { config, paths } = this;
    const outcome =
      this.stopped ??
      (this.validationReport !== null && !this.validationReport.passed
        ? { exitCode: ExitCode.validationFailed, status: "validation_failed" as const }
        : config.reference === undefined && paths.emulatedReferenceDir === undefined
          ? { exitCode: ExitCode.ok, status: "no_reference" as const }
          : { exitCode: ExitCode.ok, status: "passed" as const });
    const manifest = await this.manifestNow({ status: outcome.status, exit_code: outcome.exitCode });
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
  }

  /** The stage's log paths as the manifest shows them. */
  private logsOf(stage: StageDefinition): { stdoutPath: string; stderrPath: string } {
    const logPaths = logPathsOf(this.paths.logDir, stage.name);
    return { stdoutPath: displayPath(this.paths.configDir, logPaths.stdout), stderrPath: displayPath(this.paths.configDir, logPaths.stderr) };
  }

  /** Decides, runs or reuses one stage, and returns its manifest step. */
  private async stepFor(stage: StageDefinition, index: number): Promise<StepEntry> {
    const decisionStarted = monotonicMs();
    const plan = stage.plan(this.config);
    const logs = this.logsOf(stage);
    const upstream: Record<string, string> = {};
    for (const dep of stage.dependsOn) upstream[dep] = this.state.effectiveKey.get(dep) ?? "absent";
    const blockedBy = stage.dependsOn.map((dep) => this.state.blocked.get(dep)).find((why) => why !== undefined);
    if (plan.skip !== undefined || blockedBy !== undefined || this.stopped !== undefined) return this.skipStep(stage, plan.skip, blockedBy, upstream);

    const env = stageEnvironment(this.config, this.resources.runId, stage.name);
    const fingerprint = await computeFingerprint({
      stage: stage.name,
      plan,
      configDir: this.paths.configDir,
      hashCache: this.resources.hashCache,
      tools: this.tools,
      upstream,
      recompBuild: this.resources.recompBuild,
      env: fingerprintEnvironment(env, this.paths.configDir),
    });
    const prior = this.setup.previous[stage.name];
    const forced =
      this.options.force === true ? "--force" : this.fromIndex >= 0 && index >= this.fromIndex ? `--from ${this.options.from ?? ""}` : !this.setup.resume ? "resume is off" : undefined;
    const reason = await rerunReason({ stage, plan, fingerprint, prior, forced, changed: this.state.changed, configDir: this.paths.configDir, hashCache: this.resources.hashCache });
    const declared = plan.outputs.map((o) => displayPath(this.paths.configDir, o.path));

    if (reason === undefined && prior !== undefined) {
      this.state.effectiveKey.set(stage.name, plan.outputs.length > 0 ? outputsKey(prior.outputs) : fingerprint.value);
      const record: StageRecord = {
        ...prior,
        // This run's cost of the stage: fingerprinting and verifying its outputs.
        duration_ms: Math.round(monotonicMs() - decisionStarted),
        declared_outputs: declared,
        notes: [`reused: fingerprint unchanged, ${prior.outputs.length} outputs verified`],
      };
      this.state.records[stage.name] = record;
      return { name: stage.name, record, cacheHit: true, ...logs };
    }

    return this.runStep({ stage, index, plan, fingerprint, prior, why: reason ?? "first run", env, declared });
  }

  /** Runs one stage: recorded as interrupted first, then with its outputs hashed (or why it failed). */
  private async runStep(step: RunStep): Promise<StepEntry> {
    const { stage, plan, fingerprint, prior, why, env, declared } = step;
    const logPaths = logPathsOf(this.paths.logDir, stage.name);
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
    await this.resources.ownership.claim(plan.outputs.map((o) => o.path));
    this.state.records[stage.name] = {
      ...base,
      status: "interrupted",
      exit_code: null,
      duration_ms: 0,
      outputs: [],
      ...keptOutputs,
      notes: [this.resources.redactor.apply(`ran: ${why}`), "interrupted: the run this.stopped while this stage ran"],
    };
    await writeStageState(this.setup.stateFile, this.state.records);
    this.options.reporter.stageRunning(stage.name, this.resources.redactor.apply(why));
    const started = monotonicMs();
    const execution = await executeStage({
      stage,
      plan,
      env,
      logPaths,
      logDir: this.paths.logDir,
      stagingDir: join(this.paths.stateDir, "staging", stage.name),
      shared: this.shared,
      show: (line) => {
        if (this.options.verbose === true) this.options.reporter.output(stage.name, "stdout", line);
      },
    });
    const duration = monotonicMs() - started;
    const notes = [`ran: ${why}`, ...execution.notes];
    const outputs = await this.settleOutputs(step, execution, notes);
    this.failIfAborted(execution, notes);
    const record: StageRecord = {
      ...base,
      status: execution.status,
      exit_code: execution.exitCode,
      duration_ms: Math.round(duration),
      outputs,
      ...(execution.status === "succeeded" ? {} : keptOutputs),
      notes: notes.map((n) => this.resources.redactor.apply(n)),
      validation:
        execution.validation === undefined
          ? null
          : { passed: execution.validation.passed, report_path: displayPath(this.paths.configDir, execution.validation.reportPath) },
    };
    this.state.records[stage.name] = record;
    await this.setup.history.keepLogs([logPaths.stdout, logPaths.stderr]);
    return { name: stage.name, record, cacheHit: false, ...this.logsOf(stage) };
  }

  /** Records a finished stage's outputs and what its dependents see of it; a failed stage blocks them. */
  private async settleOutputs(step: RunStep, execution: StageExecution, notes: string[]): Promise<StageRecord["outputs"]> {
    const { stage, index, plan, fingerprint, prior } = step;
    if (execution.status !== "succeeded") {
      this.state.effectiveKey.set(stage.name, fingerprint.value);
      this.state.changed.set(stage.name, `it ${execution.status}`);
      this.state.blocked.set(stage.name, `not run: ${stage.name} ${execution.status}`);
      return [];
    }
    // Files an earlier stage recorded (e.g. generated sources inside build_dir) stay theirs.
    const claimed = new Set(this.stages.slice(0, index).flatMap((earlier) => (this.state.records[earlier.name]?.outputs ?? []).map((o) => o.path)));
    const outputs = await recordOutputs(plan, execution.files, claimed, this.paths.configDir, this.resources.hashCache);
    const change = outputChange(plan, fingerprint.value, prior, outputs);
    this.state.effectiveKey.set(stage.name, change.key);
    if (change.changed !== undefined) this.state.changed.set(stage.name, change.changed);
    if (change.note !== undefined) notes.push(change.note);
    return outputs;
  }

  /** A stage interrupted because the run hit its time limit or lost its output failed, and says so. */
  private failIfAborted(execution: StageExecution, notes: string[]): void {
    if (execution.status !== "interrupted") return;
    const aborted = this.abort.reason();
    if (aborted === "max_runtime") {
      execution.status = "failed";
      notes.push(`aborted: policy.max_runtime_minutes (${String(this.config.raw.policy?.max_runtime_minutes)}) exceeded`);
    }
    if (aborted === "output_closed") {
      execution.status = "failed";
      notes.push("aborted: the terminal output was closed (EPIPE)");
    }
  }

  /** A stage the config does not need, or one that cannot run (an upstream stage failed, the run stopped). */
  private skipStep(stage: StageDefinition, skip: string | undefined, blockedBy: string | undefined, upstream: Record<string, string>): StepEntry {
    const note = skip ?? blockedBy ?? `not run: ${this.stopped?.status === "interrupted" ? "the run was interrupted" : "an earlier stage failed"}`;
    if (skip === undefined) this.state.blocked.set(stage.name, note);
    this.state.effectiveKey.set(stage.name, sha256Hex(canonicalJson({ skipped: stage.name, upstream })));
    // A skipped stage passes an upstream change on to what depends on it.
    const changedDep = stage.dependsOn.find((dep) => this.state.changed.has(dep));
    if (changedDep !== undefined) this.state.changed.set(stage.name, `${changedDep}: ${this.state.changed.get(changedDep) ?? ""}`);
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
    if (skip !== undefined) this.state.records[stage.name] = record;
    return { name: stage.name, record, cacheHit: false, stdoutPath: null, stderrPath: null };
  }
}

// Until the run ends, its manifest says interrupted: that is what a killed run leaves behind.
const inProgress = { status: "interrupted", exit_code: ExitCode.interrupted } as const;
