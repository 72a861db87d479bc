// engine: `recomp audit`: no file that git tracks, or would track, may carry the bytes of a
// provenance input or of an extracted asset (compared by SHA-256, so renamed copies are caught).
import { join } from "node:path";
import { execa } from "execa";
import { gitWorkTreeOf } from "../intake/asset-separation.js";
import { verifyProvenance } from "../intake/provenance.js";
import { RecompError } from "../util/errors.js";
import { sha256Hex } from "../util/hash.js";
import { HashCache } from "./hash-cache.js";
import { displayPath } from "./paths.js";
import { loadAutomationConfig } from "./resolved-config.js";

export interface AuditResult {
  repository: string | undefined;
  filesChecked: number;
  protectedHashes: number;
  violations: RecompError[];
}

const emptySha256 = sha256Hex(new Uint8Array(0));

export async function auditConfig(configFile: string): Promise<AuditResult> {
  const config = await loadAutomationConfig(configFile);
  const hashCache = await HashCache.open(join(config.paths.stateDir, "file-hashes.json"));
  const provenance = await verifyProvenance(config.paths.provenance, (path) => hashCache.digest(path));
  const protectedFiles = new Map<string, string>();
  for (const input of provenance.inputs.filter((i) => i.entry.redistributable !== true)) protectedFiles.set(input.entry.sha256.toLowerCase(), `provenance input "${input.entry.path}" (${input.entry.role})`);
  for (const asset of await hashCache.tree(config.paths.assetsDir)) {
    protectedFiles.set(asset.sha256, `extracted asset "${displayPath(config.paths.configDir, join(config.paths.assetsDir, asset.path))}"`);
  }
  // An empty file matches every other empty file; it carries nothing proprietary.
  protectedFiles.delete(emptySha256);

  const repository = gitWorkTreeOf(config.paths.configDir);
  if (repository === undefined) return { repository, filesChecked: 0, protectedHashes: protectedFiles.size, violations: [] };
  const listed = await execa("git", ["-C", repository, "ls-files", "-z", "--cached", "--others", "--exclude-standard"]);
  const files = [...new Set(listed.stdout.split("\0").filter((f) => f !== ""))].sort();
  const violations: RecompError[] = [];
  let checked = 0;
  for (const file of files) {
    const digest = await hashCache.digest(join(repository, file)).catch(() => undefined);
    if (digest === undefined) continue;
    checked += 1;
    const match = protectedFiles.get(digest.sha256);
    if (match !== undefined) {
      violations.push(
        new RecompError({
          code: "asset_separation",
          message: `has the same SHA-256 as ${match}`,
          location: { file: join(repository, file) },
          hint: "remove it from the repository (git rm --cached) and keep it outside, or ignore it",
        }),
      );
    }
  }
  await hashCache.save().catch(() => undefined);
  return { repository, filesChecked: checked, protectedHashes: protectedFiles.size, violations };
}
