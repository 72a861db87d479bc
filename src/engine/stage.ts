// engine: what a stage is. A stage declares everything it reads (its fingerprint is computed from
// that) and what it writes (verified before it is reused), separately from how it executes.
import type { StageName } from "../config/automation.js";
import type { VerifiedProvenance } from "../intake/provenance.js";
import type { HashCache } from "./hash-cache.js";
import type { Redactor } from "./redact.js";
import type { ResolvedConfig } from "./resolved-config.js";
import type { ToolRegistry } from "./tool-versions.js";

export interface DeclaredOutput {
  path: string;
  role: string;
  kind: "file" | "folder";
  /** The stage alone writes this folder: it is emptied before the stage runs, so nothing stale survives. */
  exclusive?: boolean;
}

export interface StagePlan {
  /** Set when this configuration does not need the stage: the reason is recorded. */
  skip?: string;
  /** Config values the stage reads (paths in them relative to the config folder). */
  settings: Record<string, unknown>;
  /** Files and folders read that no upstream stage produces; hashed by content. */
  inputFiles: { role: string; path: string }[];
  inputFolders: { role: string; path: string }[];
  /** The command of a command stage. */
  argv?: string[];
  /** Programs used, by PATH name (their version or binary digest enters the fingerprint). */
  tools: string[];
  /** True for stages implemented by recomp itself: recomp's own build enters the fingerprint. */
  internal: boolean;
  outputs: DeclaredOutput[];
}

export interface StageContext {
  config: ResolvedConfig;
  runId: string;
  stage: StageName;
  hashCache: HashCache;
  tools: ToolRegistry;
  provenance: VerifiedProvenance;
  redactor: Redactor;
  signal: AbortSignal;
  verbose: boolean;
  stdoutLog: string;
  stderrLog: string;
  /** Environment for commands (RECOMP_* variables). */
  env: Record<string, string>;
  /** Writes a line to the stage's stdout log (and the terminal with --verbose). */
  log: (line: string) => void;
  echo: (stage: StageName, stream: "stdout" | "stderr", line: string) => void;
  /** Records a command's process group in the lock while it runs. */
  groups: { add(pgid: number): Promise<void>; remove(pgid: number): Promise<void> };
  /** A scratch folder of the stage's own under the state folder (emptied freely). */
  stagingDir: string;
}

export interface StageExecution {
  status: "succeeded" | "failed" | "interrupted";
  exitCode: number | null;
  notes: string[];
  /** Set by the validate stage. */
  validation?: { passed: boolean; reportPath: string };
  /** The files written into folder outputs, when the stage knows them (otherwise the whole folder counts). */
  files?: string[];
}

export interface StageDefinition {
  name: StageName;
  /** Stages whose results this one reads. */
  dependsOn: StageName[];
  plan(config: ResolvedConfig): StagePlan;
  execute(context: StageContext, plan: StagePlan): Promise<StageExecution>;
}

export function skipPlan(reason: string): StagePlan {
  return { skip: reason, settings: {}, inputFiles: [], inputFolders: [], tools: [], internal: false, outputs: [] };
}
