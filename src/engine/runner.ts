// engine: the run. Checks everything first (config, policy, asset separation, lock, provenance), then
// walks the stage graph: each stage is reused when its fingerprint and recorded outputs still hold,
// re-run otherwise (with the reason recorded), and the manifest is rewritten after every stage.
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stageNames, type StageName } from "../config/automation.js";
import type { RunManifest } from "../config/run-manifest.js";
import type { ProvenanceFormat } from "../config/provenance.js";
import { requireProvenanceInput, verifyProvenance, type VerifiedProvenance } from "../intake/provenance.js";
import { canonicalJson } from "../util/canonical-json.js";
import { ExitCode, RecompError, RecompErrorList, asRecompErrors, throwIfAny } from "../util/errors.js";
import { sha256Hex } from "../util/hash.js";
import { fingerprintEnvironment, stageEnvironment } from "./environment.js";
import { changedComponents, computeFingerprint } from "./fingerprint.js";
import { HashCache } from "./hash-cache.js";
import { acquireLock } from "./lock.js";
import { buildManifest, writeManifest, type StepEntry } from "./manifest.js";
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
}

export interface AutomateResult {
  exitCode: number;
  manifest: RunManifest;
  manifestPath: string;
}

/** recomp's own compiled code: internal stages re-run when it changes (a new lifter, a fixed parser). */
async function recompBuildId(hashCache: HashCache): Promise<string> {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const tree = await hashCache.tree(root);
  return sha256Hex(canonicalJson(tree.filter((e) => !e.path.endsWith(".map")).map((e) => [e.path, e.sha256])));
}

interface RunState {
  records: StageState;
  executed: Set<StageName>;
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
  const keyPatterns = [...(await keyMaterialPatterns(config.paths.keys)), ...(await keyMaterialPatterns(config.paths.titleKeys))];
  const redactor = new Redactor([...keyPatterns, ...config.redactionPatterns]);
  const lock = await acquireLock(join(config.paths.stateDir, "lock"), config.paths.workRoot);
  try {
    return await walkStages(config, options, planned, { hashCache, provenance, redactor, file });
  } finally {
    await hashCache.save();
    await lock.release();
  }
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
}

async function walkStages(
  config: ResolvedConfig,
  options: AutomateOptions,
  stages: readonly StageDefinition[],
  resources: RunResources,
): Promise<AutomateResult> {
  const { reporter } = options;
  const { hashCache, redactor } = resources;
  const paths = config.paths;
  const runId = randomUUID();
  const tools = new ToolRegistry(hashCache);
  const resume = options.noResume !== true && config.raw.run?.resume !== false;
  const previous = resume ? await readStageState(join(paths.stateDir, "stages.json")) : {};
  const state: RunState = { records: { ...previous }, executed: new Set(), effectiveKey: new Map(), blocked: new Map() };
  const recompBuild = await recompBuildId(hashCache);
  const inputs = await manifestInputs(config, resources.provenance, hashCache);
  const fromIndex = options.from === undefined ? undefined : stages.findIndex((s) => s.name === options.from);
  const steps: StepEntry[] = [];
  let validationReport: RunManifest["validation_report"] = null;

  const abort = new AbortController();
  let abortReason: "interrupted" | "max_runtime" | undefined;
  const onSignal = () => {
    abortReason ??= "interrupted";
    abort.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
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
    await writeManifest(paths.runManifest, manifest, redactor);
    await writeStageState(join(paths.stateDir, "stages.json"), state.records);
    return manifest;
  };

  reporter.start(stages.map((s) => s.name));
  let stopped: { exitCode: number; status: RunManifest["result"]["status"] } | undefined;
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
      await manifestNow({ status: "incomplete", exit_code: 0 });
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    if (runtimeTimer !== undefined) clearTimeout(runtimeTimer);
    reporter.finish();
  }
  const outcome =
    stopped ??
    (validationReport !== null && !validationReport.passed
      ? { exitCode: ExitCode.validationFailed, status: "validation_failed" as const }
      : { exitCode: ExitCode.ok, status: "passed" as const });
  const manifest = await manifestNow({ status: outcome.status, exit_code: outcome.exitCode });
  return { exitCode: outcome.exitCode, manifest, manifestPath: paths.runManifest };

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
      // A skipped stage passes "re-ran" on to what depends on it.
      if (stage.dependsOn.some((dep) => state.executed.has(dep))) state.executed.add(stage.name);
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
    state.effectiveKey.set(stage.name, fingerprint.value);
    const prior = previous[stage.name];
    const reason = await rerunReason(stage, plan, index, fingerprint.value, fingerprint.components, prior);
    const declared = plan.outputs.map((o) => displayPath(paths.configDir, o.path));

    if (reason === undefined && prior !== undefined) {
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

    const attempt =
      prior !== undefined && prior.fingerprint === fingerprint.value && prior.status !== "succeeded" && prior.status !== "skipped"
        ? prior.stage_attempt + 1
        : 1;
    reporter.stageRunning(stage.name, reason ?? "first run");
    const started = performance.now();
    const execution = await executeStage(stage, plan, env, logPaths);
    const duration = performance.now() - started;
    state.executed.add(stage.name);
    let outputs: OutputRecord[] = [];
    if (execution.status === "succeeded") outputs = await recordOutputs(plan, index);
    if (execution.status !== "succeeded") state.blocked.set(stage.name, `not run: ${stage.name} ${execution.status}`);
    const notes = [`ran: ${reason ?? "first run"}`, ...execution.notes];
    if (abortReason === "max_runtime" && execution.status === "interrupted") {
      execution.status = "failed";
      notes.push(`aborted: policy.max_runtime_minutes (${String(config.raw.policy?.max_runtime_minutes)}) exceeded`);
    }
    const record: StageRecord = {
      fingerprint: fingerprint.value,
      components: fingerprint.components,
      status: execution.status,
      stage_attempt: attempt,
      exit_code: execution.exitCode,
      duration_ms: Math.round(duration),
      command: plan.argv ?? null,
      outputs,
      declared_outputs: declared,
      notes: notes.map((n) => redactor.apply(n)),
      validation: execution.validation === undefined ? null : { passed: execution.validation.passed, report_path: displayPath(paths.configDir, execution.validation.reportPath) },
    };
    state.records[stage.name] = record;
    return { name: stage.name, record, cacheHit: false, stdoutPath: relLog(logPaths.stdout), stderrPath: relLog(logPaths.stderr) };
  }

  function relLog(path: string): string {
    return displayPath(paths.configDir, path);
  }

  async function rerunReason(
    stage: StageDefinition,
    plan: StagePlan,
    index: number,
    fingerprint: string,
    components: Record<string, string>,
    prior: StageRecord | undefined,
  ): Promise<string | undefined> {
    if (options.force === true) return "--force";
    if (fromIndex !== undefined && fromIndex >= 0 && index >= fromIndex) return `--from ${options.from ?? ""}`;
    if (!resume) return "resume is off";
    if (prior === undefined || prior.fingerprint === null) return "no earlier record";
    if (prior.status !== "succeeded") return `the previous attempt ${prior.status}`;
    const rerunDep = stage.dependsOn.find((dep) => state.executed.has(dep));
    if (rerunDep !== undefined) return `upstream ${rerunDep} re-ran`;
    if (prior.fingerprint !== fingerprint) {
      const changed = changedComponents(prior.components, components).filter((c) => c !== "upstream");
      return changed.length === 0 ? "an upstream stage's inputs changed" : `changed: ${changed.join(", ")}`;
    }
    for (const output of prior.outputs) {
      const absolute = resolve(paths.configDir, output.path);
      const digest = await hashCache.digest(absolute).catch(() => undefined);
      if (digest === undefined) return `output ${output.path} is missing`;
      if (digest.sha256 !== output.sha256) return `output ${output.path} changed`;
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
    // Internal stages write their own messages; commands' streams are captured by the command runner.
    const internalLog = plan.argv === undefined ? createWriteStream(logPaths.stdout) : undefined;
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
    };
    try {
      return await stage.execute(context, plan);
    } catch (error) {
      if (error instanceof RecompError || error instanceof RecompErrorList) {
        const problems = error instanceof RecompErrorList ? error.errors : [error];
        for (const problem of problems) context.log(`error: ${problem.message}`);
        return { status: "failed", exitCode: null, notes: problems.map((p) => redactor.apply(p.message)) };
      }
      throw error;
    } finally {
      if (internalLog !== undefined) await new Promise<void>((done) => internalLog.end(done));
      if (plan.argv === undefined) await mkdir(dirname(logPaths.stderr), { recursive: true }).then(() => createWriteStream(logPaths.stderr).close());
    }
  }

  async function recordOutputs(plan: StagePlan, index: number): Promise<OutputRecord[]> {
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
      for (const entry of await hashCache.tree(output.path)) {
        const path = displayPath(paths.configDir, join(output.path, entry.path));
        if (!claimed.has(path)) out.push({ path, sha256: entry.sha256, size: entry.size, role: output.role });
      }
    }
    return out;
  }
}
