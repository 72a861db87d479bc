// engine: whether a finished run may be replayed (memo/replay.ts), and the manifest a replay writes.
// Only a no-op qualifies: every stage reused or skipped, nothing interrupted, no clock consulted (run
// windows), no question asked (approval), no processes of a dead run stopped.
import type { RunManifest } from "../../config/run-manifest.js";
import { manifestText } from "../manifest.js";
import type { Redactor } from "../redact.js";
import type { ResolvedConfig } from "../resolved-config.js";
import { keptRuns } from "../run-history.js";

export interface ReplayableRun {
  workRoot: string;
  stateDir: string;
  keepRuns: number;
  /** The manifest a replay writes (the run's own id in it, replaced by each replay's), and its text as written. */
  manifest: RunManifest;
  manifestText: string;
}

export interface ReplayConditions {
  runWindows: number;
  askedApproval: boolean;
  stoppedLeftovers: number;
}

/** What a later replay of this run needs, when it may be replayed. */
export function replayableRun(config: ResolvedConfig, manifest: RunManifest, redactor: Redactor, conditions: ReplayConditions): ReplayableRun | undefined {
  if (!isReplayable(manifest, conditions)) return undefined;
  const replayed = replayManifest(manifest);
  const { workRoot, stateDir } = config.paths;
  return { workRoot, stateDir, keepRuns: keptRuns(config), manifest: replayed, manifestText: manifestText(replayed, redactor) };
}

function isReplayable(manifest: RunManifest, conditions: ReplayConditions): boolean {
  const noOp = manifest.steps.every((step) => step.status === "skipped" || (step.cache_hit && step.status === "succeeded"));
  const resultKnown = manifest.result.status !== "interrupted" && manifest.result.status !== "incomplete";
  return noOp && resultKnown && conditions.runWindows === 0 && !conditions.askedApproval && conditions.stoppedLeftovers === 0;
}

/** The note a replayed run's reused steps carry (manifest diff ignores it, as it ignores timings). */
export const replayNote = "replayed: nothing this decision read has changed since the last no-op run";

/** What a replay reports: the stages as this run decided them, each reused one's check taking no time of its own. */
function replayManifest(manifest: RunManifest): RunManifest {
  return {
    ...manifest,
    steps: manifest.steps.map((step) => (step.cache_hit ? { ...step, duration_ms: 0, notes: [...step.notes, replayNote] } : step)),
  };
}
