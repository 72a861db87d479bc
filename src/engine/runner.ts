// engine: the run. Checks everything first (config, policy, asset separation, provenance, outputs,
// programs), takes the work root's lock, then hands over to the walk over the stage graph (walk.ts).
import { randomUUID } from "node:crypto";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stageNames, type StageName } from "../config/automation.js";
import type { RunManifest } from "../config/run-manifest.js";
import type { ProvenanceFormat } from "../config/provenance.js";
import type { GuestCode } from "../lift/fault-site.js";
import { requireProvenanceInput, verifyProvenance, type VerifiedProvenance } from "../intake/provenance.js";
import { canonicalJson } from "../util/canonical-json.js";
import type { RecompError} from "../util/errors.js";
import { asRecompErrors, throwIfAny } from "../util/errors.js";
import { sha256Hex } from "../util/hash.js";
import { HashCache } from "./hash-cache.js";
import { ioError } from "./io-errors.js";
import { acquireLock, type WorkRootLock } from "./lock.js";
import { Ownership, checkOutputs } from "./output-safety.js";
import { checkPrograms, inputPaths, outputChecks, type PlannedStage } from "./preflight.js";
import { replayableRun, type ReplayableRun } from "./memo/replayable.js";
import { runsDir } from "./run-folders.js";
import { assertInsideRunWindow, obtainApproval } from "./policy.js";
import { Redactor, keyMaterialPatterns } from "./redact.js";
import type { Reporter } from "./reporter.js";
import { loadAutomationConfig, type ResolvedConfig } from "./resolved-config.js";
import { checkSeparation } from "./separation.js";
import type { StageDefinition } from "./stage.js";
import { readStageState, type StageState } from "./state.js";
import { walkStages } from "./walk.js";

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
  /** Where intake put the extracted assets (outside every git work tree). */
  assetsDir: string;
  /** The lifted code the run stage ran: a fault line's guest pc is named by instruction, function and file offset. */
  guestCode: GuestCode;
  /** With no reference yet: the reference_video.toml to write and the capture's hash lists it could name. */
  noReference?: { referenceVideoToml: string; captureVideoToml: string; hashLists: string[] };
  /** A no-op run that a later identical command may replay (memo/replay.ts), and what such a replay writes. */
  replayable?: ReplayableRun;
}

/** recomp's own compiled code: internal stages re-run when it changes (a new lifter, a fixed parser). */
async function recompBuildId(hashCache: HashCache): Promise<string> {
  const here = dirname(fileURLToPath(import.meta.url));
  // Bundled (dist/bundle/recomp.mjs and its chunks), the code that runs is that folder and the wasm beside it;
  // the rest of dist/ (tsc's per-module output, schemas) would cost some 600 stat calls a run for nothing.
  const roots = basename(here) === "bundle" ? [here, resolve(here, "../wasm")] : [resolve(here, "..")];
  const trees = [];
  for (const root of roots) trees.push({ root: basename(root), files: (await hashCache.tree(root)).filter((e) => !e.path.endsWith(".map")).map((e) => [e.path, e.sha256]) });
  return sha256Hex(canonicalJson(trees));
}

export async function runAutomation(options: AutomateOptions): Promise<AutomateResult> {
  const config = await loadAutomationConfig(options.configFile);
  const { reporter } = options;
  for (const warning of config.warnings) reporter.message(`warning: ${warning}`);
  assertInsideRunWindow(config.runWindows, (options.now ?? (() => new Date()))(), options.configFile);
  await checkSeparation(config);
  const planned = options.stages.filter((stage) => stageNames.includes(stage.name));
  const askedApproval = config.raw.policy?.requires_approval === true && options.approve !== true;
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
  checkPrograms(config, plans);
  await checkEmulationToolsIfPlanned(plans);
  const keyPatterns = [...(await keyMaterialPatterns(config.paths.keys)), ...(await keyMaterialPatterns(config.paths.titleKeys))];
  const redactor = new Redactor([...keyPatterns, ...config.redactionPatterns]);
  const runId = randomUUID();
  let lock: WorkRootLock | undefined;
  try {
    lock = await acquireLock(config.paths.stateDir, config.paths.workRoot, runId);
    if (lock.stoppedLeftovers > 0) reporter.message(`stopped ${lock.stoppedLeftovers} processes left running by a run that was killed`);
    await ownership.claim([config.paths.workRoot, config.paths.stateDir, config.paths.logDir, config.paths.runManifest, runsDir(config.paths.workRoot)]);
    const recompBuild = await recompBuildId(hashCache);
    const result = await walkStages(config, options, planned, { hashCache, provenance, redactor, runId, lock, ownership, recompBuild });
    const replayable = replayableRun(config, result.manifest, redactor, { runWindows: config.runWindows.length, askedApproval, stoppedLeftovers: lock.stoppedLeftovers });
    return replayable === undefined ? result : { ...result, replayable };
  } catch (error) {
    throw ioError(error) ?? error;
  } finally {
    await hashCache.save().catch(() => undefined);
    await lock?.release();
  }
}

/** A reference by emulation needs qemu-aarch64, aarch64-linux-gnu-gcc and make: each missing one named with its Debian package. */
async function checkEmulationToolsIfPlanned(plans: readonly PlannedStage[]): Promise<void> {
  if (!plans.some((stage) => stage.name === "emulate_reference" && stage.plan.skip === undefined)) return;
  const { checkEmulationTools } = await import("../reference/emulate.js");
  checkEmulationTools();
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
