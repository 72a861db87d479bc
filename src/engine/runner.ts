// engine: the run. Checks everything first (config, policy, asset separation, lock, provenance), then
// walks the stage graph: each stage is reused when its fingerprint and recorded outputs still hold,
// re-run otherwise (with the reason recorded), and the manifest is rewritten after every stage.
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stageNames, type StageName } from "../config/automation.js";
import type { RunManifest } from "../config/run-manifest.js";
import type { ProvenanceFormat } from "../config/provenance.js";
import { requireProvenanceInput, verifyProvenance, type VerifiedProvenance } from "../intake/provenance.js";
import { canonicalJson } from "../util/canonical-json.js";
import { ExitCode, RecompError, RecompErrorList, asRecompErrors, throwIfAny } from "../util/errors.js";
import { sha256Hex } from "../util/hash.js";
import { isInside } from "../intake/asset-separation.js";
import { fingerprintEnvironment, stageEnvironment } from "./environment.js";
import { computeFingerprint } from "./fingerprint.js";
import { HashCache } from "./hash-cache.js";
import { ioError, ioNote } from "./io-errors.js";
import { acquireLock, type WorkRootLock } from "./lock.js";
import { buildManifest, writeManifest, type StepEntry } from "./manifest.js";
import { Ownership, checkOutputs } from "./output-safety.js";
import { checkPrograms, inputPaths, outputChecks, type PlannedStage } from "./preflight.js";
import { describeOutputChange, fingerprintChange, outputsKey } from "./reuse.js";
import { RunHistory, defaultKeptRuns, runsDir } from "./run-history.js";
import { manifestInputs } from "./manifest-inputs.js";
import { displayPath } from "./paths.js";
import { assertInsideRunWindow, obtainApproval } from "./policy.js";
import { Redactor, keyMaterialPatterns } from "./redact.js";
import type { Reporter } from "./reporter.js";
import { loadAutomationConfig, type ResolvedConfig } from "./resolved-config.js";
import { checkSeparation } from "./separation.js";
import type { StageContext, StageDefinition, StageExecution, StagePlan } from "./stage.js";
import { readStageState, writeStageState, type OutputRecord, type StageRecord, type StageState } from "./state.js";
import { ToolRegistry } from "./tool-versions.js";

export interface AutomateOptions {
  configFile: string;
  stages: readonly StageDefinition[];
  reporter: Reporter;
  force?: boolean;
  from?: StageName;
  noResume?: boolean;
  verbose?: boolean;
  approve?: boolean;
  /** The clock for run windows (tests pass a fixed one). */
  now?: () => Date;
  /** Aborted when the run cannot go on (its terminal output was closed): the run ends with exit 3. */
  stop?: AbortSignal;
}

export interface AutomateResult {
  exitCode: number;
  manifest: RunManifest;
  manifestPath: string;
  /** The config file's folder: the manifest's paths are relative to it. */
  configDir: string;
  /** With no reference yet: the reference_video.toml to write and the capture's hash lists it could name. */
  noReference?: { referenceVideoToml: string; captureVideoToml: string; hashLists: string[] };
}

/** recomp's own compiled code: internal stages re-run when it changes (a new lifter, a fixed parser). */
async function recompBuildId(hashCache: HashCache): Promise<string> {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const tree = await hashCache.tree(root);
  return sha256Hex(canonicalJson(tree.filter((e) => !e.path.endsWith(".map")).map((e) => [e.path, e.sha256])));
}

interface RunState {
  records: StageState;
  /** Stages whose outputs changed in this run (or that declare none and ran), with what changed. */
  changed: Map<StageName, string>;
  /** What each stage's dependents see of it: its outputs' identity (its fingerprint when it declares none). */
  effectiveKey: Map<StageName, string>;
  blocked: Map<StageName, string>;
}

export async function runAutomation(options: AutomateOptions): Promise<AutomateResult> {
  const config = await loadAutomationConfig(options.configFile);
  const { reporter } = options;
  for (const warning of config.warnings) reporter.message(`warning: ${warning}`);
  const file = config.paths.configFile;
  assertInsideRunWindow(config.runWindows, (options.now ?? (() => new Date()))(), options.configFile);
  await checkSeparation(config);
  const planned = options.stages.filter((stage) => stageNames.includes(stage.name));
  await obtainApproval(
    config.raw.policy?.requires_approval === true,
    options.approve === true,
    `Run the recompilation loop for "${config.title.title}" (${planned.length} stages)?`,
    options.configFile,
  );

  // Every check passes before anything is written: a refused run leaves no trace in the work root.
  const hashCache = await HashCache.open(join(config.paths.stateDir, "file-hashes.json"));
  const provenance = await verifyProvenance(config.paths.provenance, (path) => hashCache.digest(path));
  requireModeInputsListed(config, provenance);
  const plans: PlannedStage[] = planned.map((stage) => ({ name: stage.name, plan: stage.plan(config) }));
  const previous = await readStageState(join(config.paths.stateDir, "stages.json"));
  const ownership = await Ownership.open(config.paths.stateDir, recordedPaths(config, previous));
  await checkOutputs(outputChecks(config, plans), {
    configFile: config.paths.configFile,
    configDir: config.paths.configDir,
    stateDir: config.paths.stateDir,
    inputs: inputPaths(config, provenance, plans),
    ownership,
  });
  await checkPrograms(config, plans);
  const keyPatterns = [...(await keyMaterialPatterns(config.paths.keys)), ...(await keyMaterialPatterns(config.paths.titleKeys))];
  const redactor = new Redactor([...keyPatterns, ...config.redactionPatterns]);
  const runId = randomUUID();
  let lock: WorkRootLock | undefined;
  try {
    lock = await acquireLock(config.paths.stateDir, config.paths.workRoot, runId);
    if (lock.stoppedLeftovers > 0) reporter.message(`stopped ${lock.stoppedLeftovers} processes left running by a run that was killed`);
    await ownership.claim([config.paths.workRoot, config.paths.stateDir, config.paths.logDir, config.paths.runManifest, runsDir(config.paths.workRoot)]);
    return await walkStages(config, options, planned, { hashCache, provenance, redactor, file, runId, lock, ownership });
  } catch (error) {
    throw ioError(error) ?? error;
  } finally {
    await hashCache.save().catch(() => undefined);
    await lock?.release();
  }
}

/** Paths the stage records name as outputs: recomp's own in work roots from before owned.json. */
function recordedPaths(config: ResolvedConfig, records: StageState): string[] {
  const listed = Object.values(records).flatMap((record) => [...record.declared_outputs, ...record.outputs.map((o) => o.path)]);
  if (listed.length === 0) return [];
  const p = config.paths;
  return [p.workRoot, p.stateDir, p.logDir, p.runManifest, ...listed.map((path) => resolve(p.configDir, path))];
}

/** Every input the mode reads must be one provenance vouches for: checked before any stage runs. */
function requireModeInputsListed(config: ResolvedConfig, provenance: VerifiedProvenance): void {
  const p = config.paths;
  const wanted: [string | undefined, string, ProvenanceFormat[]][] =
    config.raw.inputs.mode === "homebrew"
      ? [[p.nro, "NRO", ["nro0"]], ...p.nso.map((path): [string, string, ProvenanceFormat[]] => [path, "NSO", ["nso0"]])]
      : config.raw.inputs.mode === "xci"
        ? [[p.xci, "XCI image", ["xci"]], [p.keys, "keyset", ["keyset"]], [p.titleKeys, "title keyset", ["keyset"]]]
        : [[p.moduleJson, "lifted module", ["lifted_json"]]];
  const errors: RecompError[] = [];
  for (const [path, what, formats] of wanted) {
    if (path === undefined) continue;
    try {
      requireProvenanceInput(provenance, path, what, formats);
    } catch (error) {
      errors.push(...asRecompErrors(error));
    }
  }
  throwIfAny(errors);
}

interface RunResources {
  hashCache: HashCache;
  provenance: VerifiedProvenance;
  redactor: Redactor;
  file: string;
  runId: string;
  lock: WorkRootLock;
  ownership: Ownership;
}

async function walkStages(
  config: ResolvedConfig,
  options: AutomateOptions,
  stages: readonly StageDefinition[],
  resources: RunResources,
): Promise<AutomateResult> {
  const { reporter } = options;
  const { hashCache, redactor, runId } = resources;
  const paths = config.paths;
  const tools = new ToolRegistry(hashCache);
  const resume = options.noResume !== true && config.raw.run?.resume !== false;
  const previous = resume ? await readStageState(join(paths.stateDir, "stages.json")) : {};
  const state: RunState = { records: { ...previous }, changed: new Map(), effectiveKey: new Map(), blocked: new Map() };
  const recompBuild = await recompBuildId(hashCache);
  const inputs = await manifestInputs(config, resources.provenance, hashCache);
  const history = await RunHistory.begin(paths.workRoot, runId, config.raw.run?.keep_runs ?? defaultKeptRuns);
  const fromIndex = options.from === undefined ? undefined : stages.findIndex((s) => s.name === options.from);
  const steps: StepEntry[] = [];
  let validationReport: RunManifest["validation_report"] = null;

  const abort = new AbortController();
  let abortReason: "interrupted" | "max_runtime" | "output_closed" | undefined;
  const onSignal = () => {
    abortReason ??= "interrupted";
    abort.abort();
  };
  const onStop = () => {
    abortReason ??= "output_closed";
    abort.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  if (options.stop?.aborted === true) onStop();
  options.stop?.addEventListener("abort", onStop, { once: true });
  // Every process the run starts carries its id: a later run can find what a killed one left behind.
  const priorRunId = process.env.RECOMP_RUN_ID;
  process.env.RECOMP_RUN_ID = runId;
  const maxMinutes = config.raw.policy?.max_runtime_minutes;
  const runtimeTimer =
    maxMinutes === undefined
      ? undefined
      : setTimeout(() => {
          abortReason ??= "max_runtime";
          abort.abort();
        }, maxMinutes * 60_000);

  const manifestNow = async (result: RunManifest["result"]): Promise<RunManifest> => {
    const manifest = buildManifest({ runId, toolVersions: await tools.all(), inputs, steps, validationReport, result });
    await writeStageState(join(paths.stateDir, "stages.json"), state.records);
    await history.keepManifest(await writeManifest(paths.runManifest, manifest, redactor));
    return manifest;
  };

  reporter.start(stages.map((s) => s.name));
  let stopped: { exitCode: number; status: RunManifest["result"]["status"] } | undefined;
  // Until the run ends, its manifest says interrupted: that is what a killed run leaves behind.
  const inProgress = { status: "interrupted", exit_code: ExitCode.interrupted } as const;
  try {
    for (const [index, stage] of stages.entries()) {
      const entry = await stepFor(stage, index);
      steps.push(entry);
      reporter.stageDone(stage.name, {
        status: entry.record.status,
        cacheHit: entry.cacheHit,
        durationMs: entry.record.duration_ms,
        notes: entry.record.notes,
      });
      if (entry.record.validation !== null && entry.record.status === "succeeded") {
        validationReport = { path: entry.record.validation.report_path, passed: entry.record.validation.passed };
      }
      if (stopped === undefined && (entry.record.status === "failed" || entry.record.status === "interrupted")) {
        stopped =
          entry.record.status === "interrupted"
            ? { exitCode: ExitCode.interrupted, status: "interrupted" }
            : { exitCode: ExitCode.stageFailed, status: "stage_failed" };
      }
      await manifestNow(inProgress);
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    options.stop?.removeEventListener("abort", onStop);
    if (priorRunId === undefined) delete process.env.RECOMP_RUN_ID;
    else process.env.RECOMP_RUN_ID = priorRunId;
    if (runtimeTimer !== undefined) clearTimeout(runtimeTimer);
    reporter.finish();
  }
  const outcome =
    stopped ??
    (validationReport !== null && !validationReport.passed
      ? { exitCode: ExitCode.validationFailed, status: "validation_failed" as const }
      : config.reference === undefined
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
  return { exitCode: outcome.exitCode, manifest, manifestPath: paths.runManifest, configDir: paths.configDir, ...(noReference === undefined ? {} : { noReference }) };

  /** Decides, runs or reuses one stage, and returns its manifest step. */
  async function stepFor(stage: StageDefinition, index: number): Promise<StepEntry> {
    const decisionStarted = performance.now();
    const plan = stage.plan(config);
    const logPaths = {
      stdout: join(paths.logDir, `${stage.name}.stdout.log`),
      stderr: join(paths.logDir, `${stage.name}.stderr.log`),
    };
    const upstream: Record<string, string> = {};
    for (const dep of stage.dependsOn) upstream[dep] = state.effectiveKey.get(dep) ?? "absent";
    const blockedBy = stage.dependsOn.map((dep) => state.blocked.get(dep)).find((why) => why !== undefined);

    if (plan.skip !== undefined || blockedBy !== undefined || stopped !== undefined) {
      const note = plan.skip ?? blockedBy ?? `not run: ${stopped?.status === "interrupted" ? "the run was interrupted" : "an earlier stage failed"}`;
      if (plan.skip === undefined) state.blocked.set(stage.name, note);
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
      if (plan.skip !== undefined) state.records[stage.name] = record;
      return { name: stage.name, record, cacheHit: false, stdoutPath: null, stderrPath: null };
    }

    const env = stageEnvironment(config, runId, stage.name);
    const fingerprint = await computeFingerprint({
      stage: stage.name,
      plan,
      configDir: paths.configDir,
      hashCache,
      tools,
      upstream,
      recompBuild,
      env: fingerprintEnvironment(env, paths.configDir),
    });
    const prior = previous[stage.name];
    const reason = await rerunReason(stage, plan, index, fingerprint, prior);
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
      return { name: stage.name, record, cacheHit: true, stdoutPath: relLog(logPaths.stdout), stderrPath: relLog(logPaths.stderr) };
    }

    const why = reason ?? "first run";
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
    // Written before the stage starts (its outputs claimed as recomp's): a run killed now leaves a
    // record that says interrupted, so the next run re-runs the stage instead of trusting old outputs.
    await resources.ownership.claim(plan.outputs.map((o) => o.path));
    state.records[stage.name] = {
      ...base,
      status: "interrupted",
      exit_code: null,
      duration_ms: 0,
      outputs: [],
      notes: [redactor.apply(`ran: ${why}`), "interrupted: the run stopped while this stage ran"],
    };
    await writeStageState(join(paths.stateDir, "stages.json"), state.records);
    reporter.stageRunning(stage.name, redactor.apply(why));
    const started = performance.now();
    const execution = await executeStage(stage, plan, env, logPaths);
    const duration = performance.now() - started;
    let outputs: OutputRecord[] = [];
    const notes = [`ran: ${why}`, ...execution.notes];
    if (execution.status === "succeeded") {
      outputs = await recordOutputs(plan, index, execution.files);
      noteOutputChange(stage.name, plan, fingerprint.value, prior, outputs, notes);
    } else {
      state.effectiveKey.set(stage.name, fingerprint.value);
      state.changed.set(stage.name, `it ${execution.status}`);
      state.blocked.set(stage.name, `not run: ${stage.name} ${execution.status}`);
    }
    if (abortReason === "max_runtime" && execution.status === "interrupted") {
      execution.status = "failed";
      notes.push(`aborted: policy.max_runtime_minutes (${String(config.raw.policy?.max_runtime_minutes)}) exceeded`);
    }
    if (abortReason === "output_closed" && execution.status === "interrupted") {
      execution.status = "failed";
      notes.push("aborted: the terminal output was closed (EPIPE)");
    }
    const record: StageRecord = {
      ...base,
      status: execution.status,
      exit_code: execution.exitCode,
      duration_ms: Math.round(duration),
      outputs,
      notes: notes.map((n) => redactor.apply(n)),
      validation: execution.validation === undefined ? null : { passed: execution.validation.passed, report_path: displayPath(paths.configDir, execution.validation.reportPath) },
    };
    state.records[stage.name] = record;
    await history.keepLogs([logPaths.stdout, logPaths.stderr]);
    return { name: stage.name, record, cacheHit: false, stdoutPath: relLog(logPaths.stdout), stderrPath: relLog(logPaths.stderr) };
  }

  /** Early cutoff: a re-run stage whose outputs came out byte-identical does not make later stages run. */
  function noteOutputChange(name: StageName, plan: StagePlan, fingerprint: string, prior: StageRecord | undefined, outputs: OutputRecord[], notes: string[]): void {
    if (plan.outputs.length === 0) {
      state.effectiveKey.set(name, fingerprint);
      state.changed.set(name, "it re-ran and declares no outputs to compare");
      return;
    }
    const key = outputsKey(outputs);
    state.effectiveKey.set(name, key);
    const before = prior?.status === "succeeded" ? prior.outputs : undefined;
    if (before !== undefined && outputsKey(before) === key) {
      notes.push("outputs byte-identical to the previous run: later stages are not re-run for it");
      return;
    }
    state.changed.set(name, `output ${describeOutputChange(before, outputs)}`);
  }

  function relLog(path: string): string {
    return displayPath(paths.configDir, path);
  }

  async function rerunReason(
    stage: StageDefinition,
    plan: StagePlan,
    index: number,
    fingerprint: { value: string; components: Record<string, string>; details: Record<string, string> },
    prior: StageRecord | undefined,
  ): Promise<string | undefined> {
    if (options.force === true) return "--force";
    if (fromIndex !== undefined && fromIndex >= 0 && index >= fromIndex) return `--from ${options.from ?? ""}`;
    if (!resume) return "resume is off";
    if (prior === undefined || prior.fingerprint === null) return "no earlier record";
    if (prior.status !== "succeeded") return `the previous attempt ${prior.status}`;
    const changedDep = stage.dependsOn.find((dep) => state.changed.has(dep));
    if (changedDep !== undefined) return `upstream ${changedDep}: ${state.changed.get(changedDep) ?? ""}`;
    if (prior.fingerprint !== fingerprint.value) return fingerprintChange(prior, fingerprint.components, fingerprint.details);
    for (const output of prior.outputs) {
      const absolute = resolve(paths.configDir, output.path);
      const digest = await hashCache.digest(absolute).catch(() => undefined);
      if (digest === undefined) return `output ${output.path} is missing`;
      if (digest.sha256 !== output.sha256 || digest.size !== output.size) {
        return `output ${output.path} changed (${output.sha256.slice(0, 12)}… ${output.size} bytes -> ${digest.sha256.slice(0, 12)}… ${digest.size} bytes)`;
      }
    }
    for (const declared of plan.outputs) {
      if (declared.kind === "file" && !prior.outputs.some((o) => resolve(paths.configDir, o.path) === declared.path)) {
        return `output ${displayPath(paths.configDir, declared.path)} was not recorded`;
      }
    }
    return undefined;
  }

  async function executeStage(
    stage: StageDefinition,
    plan: StagePlan,
    env: Record<string, string>,
    logPaths: { stdout: string; stderr: string },
  ): Promise<StageExecution> {
    if (abort.signal.aborted) return { status: "interrupted", exitCode: null, notes: ["the run was interrupted before this stage"] };
    await mkdir(paths.logDir, { recursive: true });
    await rm(logPaths.stdout, { force: true });
    await rm(logPaths.stderr, { force: true });
    // Internal stages write their own messages; commands' streams are captured by the command runner.
    const internalLog = plan.argv === undefined ? createWriteStream(logPaths.stdout) : undefined;
    let logError: Error | undefined;
    internalLog?.on("error", (error) => (logError ??= error));
    const context: StageContext = {
      config,
      runId,
      stage: stage.name,
      hashCache,
      tools,
      provenance: resources.provenance,
      redactor,
      signal: abort.signal,
      verbose: options.verbose === true,
      stdoutLog: logPaths.stdout,
      stderrLog: logPaths.stderr,
      env,
      log: (line) => {
        const clean = redactor.apply(line);
        internalLog?.write(`${clean}\n`);
        if (options.verbose === true) reporter.output(stage.name, "stdout", clean);
      },
      echo: (name, stream, line) => reporter.output(name, stream, line),
      groups: { add: (pgid) => resources.lock.addGroup(pgid), remove: (pgid) => resources.lock.removeGroup(pgid) },
      stagingDir: join(paths.stateDir, "staging", stage.name),
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
        return { status: "failed", exitCode: null, notes: problems.map((p) => redactor.apply(p.message)) };
      }
      const io = ioNote(error);
      if (io !== undefined) return { status: "failed", exitCode: null, notes: [redactor.apply(io)] };
      throw error;
    } finally {
      if (internalLog !== undefined && !internalLog.closed) internalLog.destroy();
      if (plan.argv === undefined) await writeFile(logPaths.stderr, "").catch(() => undefined);
    }
  }

  async function recordOutputs(plan: StagePlan, index: number, written: readonly string[] | undefined): Promise<OutputRecord[]> {
    // Files an earlier stage recorded (e.g. generated sources inside build_dir) stay theirs.
    const claimed = new Set<string>();
    for (const earlier of stages.slice(0, index)) for (const o of state.records[earlier.name]?.outputs ?? []) claimed.add(o.path);
    const out: OutputRecord[] = [];
    for (const output of plan.outputs) {
      if (output.kind === "file") {
        const digest = await hashCache.digest(output.path).catch(() => undefined);
        if (digest !== undefined) out.push({ path: displayPath(paths.configDir, output.path), ...digest, role: output.role });
        continue;
      }
      // A stage that says which files it wrote owns exactly those; otherwise everything new in its folder.
      const files = written === undefined ? (await hashCache.tree(output.path)).map((e) => join(output.path, e.path)) : written.filter((f) => isInside(f, output.path));
      for (const file of [...files].sort()) {
        const path = displayPath(paths.configDir, file);
        if (claimed.has(path)) continue;
        const digest = await hashCache.digest(file);
        out.push({ path, sha256: digest.sha256, size: digest.size, role: output.role });
      }
    }
    return out;
  }
}
