// engine: every run keeps its manifest and the logs of the stages it ran under
// <work_root>/runs/<run_id>/, listed oldest first in runs/index.json; the newest N are kept
// (`[run] keep_runs`, default 10). Only folders listed there (recomp's own) are ever removed.
import { copyFile, link, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { z } from "zod";
import type { ResolvedConfig } from "./resolved-config.js";
import { keptManifestFile, runsDir, runsIndexFile, startRunFolder } from "./run-folders.js";
import { writeFileAtomic } from "../util/atomic-write.js";

const defaultKeptRuns = 10;

/** How many runs the history keeps (`[run] keep_runs`). */
export function keptRuns(config: ResolvedConfig): number {
  return config.raw.run?.keep_runs ?? defaultKeptRuns;
}

const indexSchema = z.object({
  version: z.literal(1),
  runs: z.array(z.string().regex(/^[0-9a-f-]{36}$/)).describe("run ids, oldest first"),
});

/** Run ids whose folders exist under runs/, oldest first. */
export async function listRuns(workRoot: string): Promise<string[]> {
  try {
    const parsed = indexSchema.safeParse(JSON.parse(await readFile(runsIndexFile(workRoot), "utf8")));
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
    const { runDir } = await startRunFolder(workRoot, await listRuns(workRoot), runId, keep);
    return new RunHistory(runsDir(workRoot), runDir);
  }

  async keepManifest(text: string): Promise<void> {
    await writeFileAtomic(keptManifestFile(this.runDir), text);
  }

  /** Hard links (a copy across file systems): a stage's next run writes new log files, never into these. */
  async keepLogs(paths: readonly string[]): Promise<void> {
    for (const path of paths) {
      const kept = join(this.runDir, "logs", basename(path));
      await link(path, kept).catch(() => copyFile(path, kept).catch(() => undefined));
    }
  }
}
