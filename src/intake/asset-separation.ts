// intake: asset separation. Proprietary material and outputs must never be where git would track them.
import { stat } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { execa } from "execa";
import { RecompError } from "../util/errors.js";

/** The top folder of the git work tree holding `path` (which need not exist yet), if any. */
export async function gitWorkTreeOf(path: string): Promise<string | undefined> {
  let current = resolve(path);
  for (;;) {
    try {
      await stat(resolve(current, ".git"));
      return current;
    } catch {
      const parent = dirname(current);
      if (parent === current) return undefined;
      current = parent;
    }
  }
}

/** Whether git ignores `path` inside work tree `top` (a folder path is checked as a folder). */
export async function isGitIgnored(top: string, path: string, isFolder: boolean): Promise<boolean> {
  const rel = relative(top, resolve(path)).split(sep).join("/");
  if (rel === "") return false;
  const result = await execa("git", ["-C", top, "check-ignore", "-q", "--no-index", isFolder ? `${rel}/` : rel], {
    reject: false,
  });
  if (result.exitCode === 0) return true;
  if (result.exitCode === 1) return false;
  throw new RecompError({
    code: "tool_missing",
    message: `git check-ignore failed in ${top}: ${result.stderr || String(result.exitCode)}`,
    hint: "install git, or place outputs outside the git work tree",
  });
}

/**
 * Exit 2 when `path` lies in a git work tree and git would track it. An ignored folder counts as
 * outside the repository: nothing in it can be committed by `git add -A`, and `recomp audit`
 * checks the tracked files.
 */
export async function assertUntracked(path: string, what: string, isFolder = true): Promise<void> {
  const top = await gitWorkTreeOf(path);
  if (top === undefined) return;
  if (await isGitIgnored(top, path, isFolder)) return;
  throw new RecompError({
    code: "asset_separation",
    message: `${what} "${path}" lies inside the git work tree ${top} and is not ignored by git`,
    hint: `move it outside the repository, or add "${relative(top, resolve(path)).split(sep).join("/")}/" to .gitignore`,
  });
}

/** Exit 2 when `path` lies in any git work tree at all, ignored or not. */
export async function assertOutsideGitWorkTree(path: string, what: string): Promise<void> {
  const top = await gitWorkTreeOf(path);
  if (top === undefined) return;
  throw new RecompError({
    code: "asset_separation",
    message: `${what} "${path}" lies inside the git work tree ${top}`,
    hint: "choose a folder outside every repository",
  });
}

export function isInside(child: string, parent: string): boolean {
  const rel = relative(resolve(parent), resolve(child));
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** Exit 2 when one folder contains the other (checked both ways). */
export function assertNotInside(child: string, parent: string, whatChild: string, whatParent: string): void {
  if (isInside(child, parent) || isInside(parent, child)) {
    throw new RecompError({
      code: "asset_separation",
      message: `${whatChild} "${child}" and ${whatParent} "${parent}" overlap (one lies inside the other)`,
      hint: `keep ${whatChild} apart from ${whatParent}`,
    });
  }
}
