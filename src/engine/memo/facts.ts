// engine: a path's state as a no-op re-run's decision saw it, as one comparable string. Files by
// (device, inode, mode, size, mtime, ctime), as the digest cache knows them; folders by (device, inode,
// mode), plus their sorted entry names when the run listed them (a folder's mtime changes with every
// unrelated file in /tmp or the home folder); symbolic links by their target, and the file they lead to.
// Node built-ins only: the replay (replay.ts) loads this before anything else of recomp.
import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readlinkSync, statSync, type BigIntStats } from "node:fs";

/** How a path was consulted: its state, or (a folder) also its listing. */
export type FactKind = "state" | "listing";

export interface Fact {
  path: string;
  kind: FactKind;
  value: string;
}

function describe(stats: BigIntStats): string {
  if (stats.isDirectory()) return `d:${stats.dev}:${stats.ino}:${stats.mode}`;
  return `f:${stats.dev}:${stats.ino}:${stats.mode}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
}

function errorCode(error: unknown): string {
  return `!${(error as NodeJS.ErrnoException).code ?? "error"}`;
}

/** The path's state now (lstat, and for a symbolic link its target text and what it leads to). */
export function stateOf(path: string): string {
  try {
    const own = lstatSync(path, { bigint: true });
    if (!own.isSymbolicLink()) return describe(own);
    const target = readlinkSync(path);
    let led: string;
    try {
      led = describe(statSync(path, { bigint: true }));
    } catch (error) {
      led = errorCode(error);
    }
    return `l:${own.dev}:${own.ino}:${target}>${led}`;
  } catch (error) {
    return errorCode(error);
  }
}

/** A folder's entries (name and kind), sorted, as a digest (or the error listing it gave). */
export function listingOf(path: string): string {
  try {
    const entries = readdirSync(path, { withFileTypes: true }).map((entry) => `${entry.isDirectory() ? "d" : entry.isSymbolicLink() ? "l" : "f"}${entry.name}`);
    return createHash("sha256").update(entries.sort().join("\0")).digest("hex");
  } catch (error) {
    return errorCode(error);
  }
}

export function factValue(path: string, kind: FactKind): string {
  return kind === "state" ? stateOf(path) : listingOf(path);
}

/** The first fact that no longer holds (those `skip` names aside), or undefined when all do. */
export function firstChanged(facts: readonly Fact[], skip: (fact: Fact) => boolean = () => false): Fact | undefined {
  return facts.find((fact) => !skip(fact) && factValue(fact.path, fact.kind) !== fact.value);
}
