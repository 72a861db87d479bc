// engine: every run keeps its manifest and the logs of the stages it ran under
// <work_root>/runs/<run_id>/, listed oldest first in runs/index.json; the newest N are kept
// (`[run] keep_runs`, default 10). Only folders listed there (recomp's own) are ever removed.
import { copyFile, link, mkdir, readFile, rm } from "node:fs/promises";
import { basename, join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../util/atomic-write.js";

export const defaultKeptRuns = 10;

const indexSchema = z.object({
  version: z.literal(1),
  runs: z.array(z.string().regex(/^[0-9a-f-]{36}$/)).describe("run ids, oldest first"),
});

export function runsDir(workRoot: string): string {
  return join(workRoot, "runs");
}

/** Run ids whose folders exist under runs/, oldest first. */
export async function listRuns(workRoot: string): Promise<string[]> {
  try {
    const parsed = indexSchema.safeParse(JSON.parse(await readFile(join(runsDir(workRoot), "index.json"), "utf8")));
    return parsed.success ? parsed.data.runs : [];
  } catch {
    return [];
  }
}

export class RunHistory {
  private constructor(
    private readonly folder: string,
    readonly runDir: string,
  ) {}

  /** Adds this run to the index and removes the oldest runs beyond `keep` (this one included). */
  static async begin(workRoot: string, runId: string, keep: number): Promise<RunHistory> {
    const folder = runsDir(workRoot);
    const runs = [...(await listRuns(workRoot)), runId];
    const dropped = runs.slice(0, Math.max(0, runs.length - keep));
    const kept = runs.slice(runs.length - Math.min(keep, runs.length));
    // The index first: a folder no longer listed is never reused, even if removing it is cut short.
    await writeFileAtomic(join(folder, "index.json"), `${JSON.stringify({ version: 1, runs: kept }, null, 2)}\n`);
    for (const old of dropped) await rm(join(folder, old), { recursive: true, force: true });
    const runDir = join(folder, runId);
    await mkdir(join(runDir, "logs"), { recursive: true });
    return new RunHistory(folder, runDir);
  }

  async keepManifest(text: string): Promise<void> {
    await writeFileAtomic(join(this.runDir, "run-manifest.json"), text);
  }

  /** Hard links (a copy across file systems): a stage's next run writes new log files, never into these. */
  async keepLogs(paths: readonly string[]): Promise<void> {
    for (const path of paths) {
      const kept = join(this.runDir, "logs", basename(path));
      await link(path, kept).catch(() => copyFile(path, kept).catch(() => undefined));
    }
  }
}
