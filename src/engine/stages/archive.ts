// engine: the archive stage keeps the run's shareable evidence together: the validation reports and
// the capture hash lists (never footage or assets), with an index of their hashes.
import { copyFile, mkdir, rm, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { canonicalJsonPretty } from "../../util/canonical-json.js";
import { writeFileAtomic } from "../../util/atomic-write.js";
import { displayPath } from "../paths.js";
import type { ResolvedConfig } from "../resolved-config.js";
import type { StageDefinition } from "../stage.js";

export function archiveDir(config: ResolvedConfig): string {
  return resolve(config.paths.workRoot, "archive");
}

function evidenceFiles(config: ResolvedConfig): { role: string; path: string }[] {
  const files = [{ role: "capture_frame_hashes", path: config.paths.captureFrameHashes }];
  if (config.paths.captureAudioHashes !== undefined) files.push({ role: "capture_audio_hashes", path: config.paths.captureAudioHashes });
  return files;
}

export const archiveStage: StageDefinition = {
  name: "archive",
  dependsOn: ["validate"],
  plan(config) {
    return {
      settings: { archive_dir: displayPath(config.paths.configDir, archiveDir(config)) },
      inputFiles: evidenceFiles(config),
      inputFolders: [{ role: "validation_reports", path: config.paths.validationDir }],
      tools: [],
      internal: true,
      outputs: [{ path: archiveDir(config), role: "archive", kind: "folder" }],
    };
  },
  async execute(context) {
    const { config } = context;
    const target = archiveDir(config);
    // Only this run's evidence: an archive never accumulates stale files.
    await rm(target, { recursive: true, force: true });
    await mkdir(join(target, "validation"), { recursive: true });
    const index: { path: string; role: string; sha256: string; size: number; source: string }[] = [];
    const keep = async (source: string, relativeTarget: string, role: string) => {
      const destination = join(target, relativeTarget);
      await copyFile(source, destination);
      const digest = await context.hashCache.digest(destination);
      index.push({ path: relativeTarget, role, ...digest, source: displayPath(config.paths.configDir, source) });
      context.log(`archived ${relativeTarget}`);
    };
    for (const entry of await context.hashCache.tree(config.paths.validationDir)) {
      if (entry.path.includes("/")) continue;
      await keep(join(config.paths.validationDir, entry.path), `validation/${entry.path}`, "validation_report");
    }
    for (const file of evidenceFiles(config)) {
      if ((await stat(file.path).catch(() => undefined)) !== undefined) await keep(file.path, basename(file.path), file.role);
    }
    index.sort((a, b) => (a.path < b.path ? -1 : 1));
    await writeFileAtomic(join(target, "index.json"), canonicalJsonPretty({ schema_version: "1", files: index }));
    return { status: "succeeded", exitCode: null, notes: [`${index.length} evidence files archived`] };
  },
};
