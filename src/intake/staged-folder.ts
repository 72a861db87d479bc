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
  const staging = join(dirname(absolute), `.${basename(absolute)}.staging-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  return { target: absolute, staging };
}

/** Replaces the target with the staged folder. */
export async function commitFolder(folder: StagedFolder): Promise<void> {
  await rm(folder.target, { recursive: true, force: true });
  await rename(folder.staging, folder.target);
}

export async function discardFolder(folder: StagedFolder): Promise<void> {
  await rm(folder.staging, { recursive: true, force: true });
}
