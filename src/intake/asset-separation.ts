// intake: asset separation. Proprietary material and outputs must never be where git would track them.
import { statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { RecompError, throwIfAny } from "../util/errors.js";

/**
 * The top folder of the git work tree holding `path` (which need not exist yet), if any. Synchronous: one
 * stat per folder up to the root, for every output of every run; no thread-pool round trips (issue 11).
 */
export function gitWorkTreeOf(path: string): string | undefined {
  let current = resolve(path);
  for (;;) {
    try {
      // Missing is the common case: undefined, not a thrown error.
      if (statSync(resolve(current, ".git"), { throwIfNoEntry: false }) !== undefined) return current;
    } catch {
      // Not readable (or below a file): look further up, as for a missing one.
    }
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

export interface TrackableCheck {
  path: string;
  what: string;
  isFolder: boolean;
}

/** Which of `paths` (relative to `top`, folders ending in "/") git ignores: one git call for all. */
async function ignoredPaths(top: string, paths: readonly string[]): Promise<Set<string>> {
  // Loaded on first use: a no-op re-run spawns nothing and need not load execa.
  const { execa } = await import("execa");
  const result = await execa("git", ["-C", top, "check-ignore", "--no-index", "--stdin", "-z"], { input: paths.join("\0"), reject: false });
  if (result.exitCode !== 0 && result.exitCode !== 1) {
    throw new RecompError({
      code: "tool_missing",
      message: `git check-ignore failed in ${top}: ${result.stderr || String(result.exitCode)}`,
      hint: "install git, or place outputs outside the git work tree",
    });
  }
  return new Set(result.stdout.split("\0").filter((p) => p !== ""));
}

/**
 * Every path that lies in a git work tree where git would track it, as located errors. An ignored
 * folder counts as outside the repository: nothing in it can be committed by `git add -A`, and
 * `recomp audit` checks the tracked files.
 */
export async function trackableViolations(checks: readonly TrackableCheck[]): Promise<RecompError[]> {
  const byTree = new Map<string, { check: TrackableCheck; rel: string }[]>();
  for (const check of checks) {
    const top = gitWorkTreeOf(check.path);
    if (top === undefined) continue;
    const rel = relative(top, resolve(check.path)).split(sep).join("/");
    const list = byTree.get(top) ?? [];
    list.push({ check, rel: rel === "" ? rel : check.isFolder ? `${rel}/` : rel });
    byTree.set(top, list);
  }
  const errors: RecompError[] = [];
  for (const [top, entries] of byTree) {
    const ignored = await ignoredPaths(top, entries.map((e) => e.rel).filter((rel) => rel !== ""));
    for (const { check, rel } of entries) {
      if (rel !== "" && ignored.has(rel)) continue;
      errors.push(
        new RecompError({
          code: "asset_separation",
          message: `${check.what} "${check.path}" lies inside the git work tree ${top} and is not ignored by git`,
          hint: `move it outside the repository, or add "${rel.replace(/\/$/, "")}/" to .gitignore`,
        }),
      );
    }
  }
  return errors;
}

/** Exit 2 when `path` lies in a git work tree and git would track it (see trackableViolations). */
export async function assertUntracked(path: string, what: string, isFolder = true): Promise<void> {
  throwIfAny(await trackableViolations([{ path, what, isFolder }]));
}

/** Exit 2 when `path` lies in any git work tree at all, ignored or not. */
export function assertOutsideGitWorkTree(path: string, what: string): void {
  const top = gitWorkTreeOf(path);
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
