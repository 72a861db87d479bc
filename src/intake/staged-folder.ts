/**
 * intake: output folders written in full beside their target, then swapped in, so a failed run
 * leaves nothing half-written. A target is only replaced when it is empty, absent, or carries
 * the marker file a previous run left: recomp never deletes a folder it did not write.
 */
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { RecompError } from "../util/errors.js";

/** The marker files that let a later run replace a folder: the intake manifest, and this in an assets root. */
export const intakeFolderMarker = "manifest.json";
export const assetsRootMarker = ".recomp-assets";

export interface StagedFolder {
  target: string;
  staging: string;
}

async function entries(folder: string): Promise<string[] | undefined> {
  try {
    if (!(await stat(folder)).isDirectory()) return [];
    return await readdir(folder);
  } catch {
    return undefined;
  }
}

/** Checks that `target` may be replaced and creates its empty staging folder. */
export async function stageFolder(target: string, marker: string, what: string): Promise<StagedFolder> {
  const absolute = resolve(target);
  const existing = await entries(absolute);
  if (existing !== undefined && existing.length > 0 && !existing.includes(marker)) {
    throw new RecompError({
      code: "asset_separation",
      message: `${what} "${target}" exists, is not empty and was not written by recomp (no ${marker})`,
      hint: "choose an empty or new folder; recomp replaces only folders it wrote",
    });
  }
  await removeLeftovers(absolute);
  const staging = sibling(absolute, "staging");
  await mkdir(staging, { recursive: true });
  return { target: absolute, staging };
}

/** `.<name>.<role>-<pid>` beside the target: the staged folder, or the replaced one on its way out. */
function sibling(target: string, role: "staging" | "replaced"): string {
  return join(dirname(target), `.${basename(target)}.${role}-${process.pid}`);
}

/** What an earlier run killed midway left beside the target (its staged or replaced folder). */
async function removeLeftovers(target: string): Promise<void> {
  const prefix = `.${basename(target)}.`;
  const names = (await entries(dirname(target))) ?? [];
  for (const name of names.filter((n) => n.startsWith(prefix) && /\.(staging|replaced)-\d+$/.test(n))) {
    await rm(join(dirname(target), name), { recursive: true, force: true });
  }
}

/**
 * Replaces the target with the staged folder. The old folder is renamed aside before it is removed, so a
 * kill at any point leaves the target either whole (old or new, with its marker) or absent, never half-deleted.
 */
export async function commitFolder(folder: StagedFolder): Promise<void> {
  const aside = sibling(folder.target, "replaced");
  const replaced = await rename(folder.target, aside).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return false;
      throw error;
    },
  );
  await rename(folder.staging, folder.target);
  if (replaced) await rm(aside, { recursive: true, force: true });
}

export async function discardFolder(folder: StagedFolder): Promise<void> {
  await rm(folder.staging, { recursive: true, force: true });
}
