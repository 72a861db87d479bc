// engine: the run history's folders, <work_root>/runs/<run_id>/ and runs/index.json (oldest first), for
// the engine (run-history.ts) and the no-op replay (memo/replay.ts) alike. Node built-ins only.
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../util/atomic-write.js";

export function runsDir(workRoot: string): string {
  return join(workRoot, "runs");
}

/** The history's index: its run ids, oldest first. */
export function runsIndexFile(workRoot: string): string {
  return join(runsDir(workRoot), "index.json");
}

/** Where a run's folder keeps its manifest. */
export function keptManifestFile(runDir: string): string {
  return join(runDir, "run-manifest.json");
}

/** Lists `runId` after `previous` in the index, removes the oldest beyond `keep` (this one included) and makes its folder. */
export async function startRunFolder(workRoot: string, previous: readonly string[], runId: string, keep: number): Promise<{ runDir: string }> {
  const folder = runsDir(workRoot);
  const runs = [...previous, runId];
  const dropped = runs.slice(0, Math.max(0, runs.length - keep));
  const kept = runs.slice(runs.length - Math.min(keep, runs.length));
  // The index first: a folder no longer listed is never reused, even if removing it is cut short.
  await writeFileAtomic(runsIndexFile(workRoot), `${JSON.stringify({ version: 1, runs: kept }, null, 2)}\n`);
  for (const old of dropped) await rm(join(folder, old), { recursive: true, force: true });
  const runDir = join(folder, runId);
  await mkdir(join(runDir, "logs"), { recursive: true });
  return { runDir };
}
