// engine: reuse decisions. A stage is reused only when its inputs (fingerprint) are unchanged, no
// upstream output it reads changed, and every output it recorded is still there with its hash and
// size. Otherwise the reason names exactly what changed: the file and its old and new hash, the
// config value, the tool and its old and new identity, or the upstream output.
import { join, resolve } from "node:path";
import type { StageName } from "../config/automation.js";
import { isInside } from "../intake/asset-separation.js";
import { canonicalJson } from "../util/canonical-json.js";
import { sha256Hex } from "../util/hash.js";
import { changedComponents, changedDetails, type Fingerprint } from "./fingerprint.js";
import type { HashCache } from "./hash-cache.js";
import { displayPath } from "./paths.js";
import type { StageDefinition, StagePlan } from "./stage.js";
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

export interface ReuseQuestion {
  stage: StageDefinition;
  plan: StagePlan;
  fingerprint: Fingerprint;
  prior: StageRecord | undefined;
  /** Why every stage in this position runs regardless ("--force", "--from lift", "resume is off"), if so. */
  forced: string | undefined;
  /** Stages whose outputs changed in this run, with what changed. */
  changed: ReadonlyMap<StageName, string>;
  configDir: string;
  hashCache: HashCache;
}

/** Why the stage must run, or undefined when its last record can be reused. */
export async function rerunReason(q: ReuseQuestion): Promise<string | undefined> {
  const { prior, fingerprint } = q;
  if (q.forced !== undefined) return q.forced;
  if (prior === undefined || prior.fingerprint === null) return "no earlier record";
  if (prior.status !== "succeeded") return `the previous attempt ${prior.status}`;
  const changedDep = q.stage.dependsOn.find((dep) => q.changed.has(dep));
  if (changedDep !== undefined) return `upstream ${changedDep}: ${q.changed.get(changedDep) ?? ""}`;
  if (prior.fingerprint !== fingerprint.value) return fingerprintChange(prior, fingerprint.components, fingerprint.details);
  for (const output of prior.outputs) {
    const digest = await q.hashCache.digest(resolve(q.configDir, output.path)).catch(() => undefined);
    if (digest === undefined) return `output ${output.path} is missing`;
    if (digest.sha256 !== output.sha256 || digest.size !== output.size) {
      return `output ${output.path} changed (${short(output.sha256)} ${output.size} bytes -> ${short(digest.sha256)} ${digest.size} bytes)`;
    }
  }
  for (const declared of q.plan.outputs) {
    if (declared.kind === "file" && !prior.outputs.some((o) => resolve(q.configDir, o.path) === declared.path)) {
      return `output ${displayPath(q.configDir, declared.path)} was not recorded`;
    }
  }
  return undefined;
}

export interface OutputChange {
  /** What the stages after this one see of it. */
  key: string;
  /** Set when later stages must re-run for it: what changed. */
  changed?: string;
  /** Set when the outputs came out byte-identical (early cutoff). */
  note?: string;
}

/**
 * What the stage's dependents last read: the outputs of its last success, also when a later attempt was
 * killed or failed (a stage re-run after a SIGKILL that comes out byte-identical re-runs nothing after it).
 */
export function lastSucceededOutputs(prior: StageRecord | undefined): readonly OutputRecord[] | undefined {
  return prior?.status === "succeeded" ? prior.outputs : prior?.last_outputs;
}

/** Early cutoff: a re-run stage whose outputs came out byte-identical does not make later stages run. */
export function outputChange(plan: StagePlan, fingerprint: string, prior: StageRecord | undefined, outputs: readonly OutputRecord[]): OutputChange {
  if (plan.outputs.length === 0) return { key: fingerprint, changed: "it re-ran and declares no outputs to compare" };
  const key = outputsKey(outputs);
  const before = lastSucceededOutputs(prior);
  if (before !== undefined && outputsKey(before) === key) {
    return { key, note: "outputs byte-identical to the previous run: later stages are not re-run for it" };
  }
  return { key, changed: `output ${describeOutputChange(before, outputs)}` };
}

/**
 * The hashed outputs of a stage that succeeded. A stage that says which files it wrote owns exactly those
 * in its folders; otherwise everything in them that no earlier stage recorded (`claimed`, e.g. generated
 * sources inside build_dir).
 */
export async function recordOutputs(
  plan: StagePlan,
  written: readonly string[] | undefined,
  claimed: ReadonlySet<string>,
  configDir: string,
  hashCache: HashCache,
): Promise<OutputRecord[]> {
  const out: OutputRecord[] = [];
  for (const output of plan.outputs) {
    if (output.kind === "file") {
      const digest = await hashCache.digest(output.path).catch(() => undefined);
      if (digest !== undefined) out.push({ path: displayPath(configDir, output.path), ...digest, role: output.role });
      continue;
    }
    const files = written === undefined ? (await hashCache.tree(output.path)).map((e) => join(output.path, e.path)) : written.filter((f) => isInside(f, output.path));
    for (const file of [...files].sort()) {
      const path = displayPath(configDir, file);
      if (claimed.has(path)) continue;
      const digest = await hashCache.digest(file);
      out.push({ path, sha256: digest.sha256, size: digest.size, role: output.role });
    }
  }
  return out;
}
