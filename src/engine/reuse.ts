// engine: reuse decisions. A stage is reused only when its inputs (fingerprint) are unchanged, no
// upstream output it reads changed, and every output it recorded is still there with its hash and
// size. Otherwise the reason names exactly what changed: the file and its old and new hash, the
// config value, the tool and its old and new identity, or the upstream output.
import { canonicalJson } from "../util/canonical-json.js";
import { sha256Hex } from "../util/hash.js";
import { changedComponents, changedDetails } from "./fingerprint.js";
import type { OutputRecord, StageRecord } from "./state.js";

function short(sha: string): string {
  return `${sha.slice(0, 12)}…`;
}

/** The identity of a stage's outputs: what stages after it see. */
export function outputsKey(outputs: readonly OutputRecord[]): string {
  return sha256Hex(canonicalJson(outputs.map((o) => [o.path, o.sha256, o.size])));
}

/** What differs between two output lists, e.g. "work/build/guest.c 1a2b… -> 3c4d… (and 2 more)". */
export function describeOutputChange(before: readonly OutputRecord[] | undefined, after: readonly OutputRecord[]): string {
  if (before === undefined) return "it has no earlier outputs to compare";
  const old = new Map(before.map((o) => [o.path, o]));
  const now = new Map(after.map((o) => [o.path, o]));
  const changes: string[] = [];
  for (const path of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const a = old.get(path);
    const b = now.get(path);
    if (a === undefined && b !== undefined) changes.push(`${path} is new`);
    else if (b === undefined) changes.push(`${path} is gone`);
    else if (a !== undefined && (a.sha256 !== b.sha256 || a.size !== b.size)) changes.push(`${path} ${short(a.sha256)} -> ${short(b.sha256)}`);
  }
  if (changes.length === 0) return "its outputs are unchanged";
  return `${changes[0] ?? ""}${changes.length > 1 ? ` (and ${changes.length - 1} more)` : ""}`;
}

/** Why a fingerprint differs, naming each input that changed. */
export function fingerprintChange(prior: StageRecord, components: Record<string, string>, details: Record<string, string>): string {
  if (prior.details !== undefined) {
    const changed = changedDetails(prior.details, details);
    if (changed.length > 0) return `changed: ${changed.join("; ")}`;
    const upstream = Object.keys(details).filter((k) => k.startsWith("upstream ") && prior.details?.[k] !== details[k]);
    if (upstream.length > 0) return `${upstream.map((k) => k.slice("upstream ".length)).join(", ")}: outputs differ from the ones this stage last read`;
  }
  const names = changedComponents(prior.components, components).filter((c) => c !== "upstream");
  return names.length === 0 ? "an upstream stage's outputs differ from the ones this stage last read" : `changed: ${names.join(", ")}`;
}
