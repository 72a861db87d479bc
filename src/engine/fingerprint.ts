// engine: a stage's fingerprint: SHA-256 of a canonical JSON of every meaningful input. Kept as
// named components too, so that a re-run can say *what* changed.
import { statSync } from "node:fs";
import type { StageName } from "../config/automation.js";
import { canonicalJson } from "../util/canonical-json.js";
import { sha256Hex } from "../util/hash.js";
import type { HashCache } from "./hash-cache.js";
import { displayPath } from "./paths.js";
import type { StagePlan } from "./stage.js";
import type { ToolRegistry } from "./tool-versions.js";

export interface Fingerprint {
  value: string;
  /** Digest of each component: settings, input files, input folders, tools, upstream, recomp, env. */
  components: Record<string, string>;
  /** Each input on its own ("file title.toml" -> its SHA-256, "tool cc" -> its identity, ...): a re-run names which changed. */
  details: Record<string, string>;
}

export interface FingerprintInputs {
  stage: StageName;
  plan: StagePlan;
  configDir: string;
  hashCache: HashCache;
  tools: ToolRegistry;
  upstream: Record<string, string>;
  recompBuild: string;
  /** Command environment with paths relative to the config folder (no run id). */
  env: Record<string, string>;
}

async function fileState(hashCache: HashCache, path: string): Promise<string> {
  let info;
  try {
    // Synchronous, as the digest cache's own stat (hash-cache.ts).
    info = statSync(path, { throwIfNoEntry: false });
  } catch {
    // Unreadable counts as missing, as before.
  }
  if (info === undefined) return "missing";
  if (info.isDirectory()) return "folder";
  return (await hashCache.digest(path)).sha256;
}

export async function computeFingerprint(inputs: FingerprintInputs): Promise<Fingerprint> {
  const { plan, configDir, hashCache } = inputs;
  const rel = (path: string) => displayPath(configDir, path);
  const inputFiles = [];
  for (const file of plan.inputFiles) inputFiles.push({ role: file.role, path: rel(file.path), sha256: await fileState(hashCache, file.path) });
  const inputFolders = [];
  for (const folder of plan.inputFolders) {
    const tree = await hashCache.tree(folder.path);
    inputFolders.push({ role: folder.role, path: rel(folder.path), tree: sha256Hex(canonicalJson(tree.map((e) => [e.path, e.sha256]))) });
  }
  const tools: Record<string, string> = {};
  for (const tool of [...plan.tools].sort()) tools[tool] = await inputs.tools.identity(tool);
  const components: Record<string, unknown> = {
    stage: inputs.stage,
    settings: plan.settings,
    input_files: inputFiles,
    input_folders: inputFolders,
    tools,
    upstream: inputs.upstream,
    recomp: plan.internal ? inputs.recompBuild : null,
    env: plan.internal ? null : inputs.env,
    outputs: plan.outputs.map((o) => ({ path: rel(o.path), role: o.role, kind: o.kind })),
  };
  const digests: Record<string, string> = {};
  for (const [name, value] of Object.entries(components)) digests[name] = sha256Hex(canonicalJson(value));
  const details: Record<string, string> = {};
  for (const [key, value] of Object.entries(plan.settings)) details[`setting ${key}`] = canonicalJson(value);
  for (const file of inputFiles) details[`file ${file.path}`] = file.sha256;
  for (const folder of inputFolders) details[`folder ${folder.path}`] = folder.tree;
  for (const [tool, identity] of Object.entries(tools)) details[`tool ${tool}`] = identity;
  for (const [stage, key] of Object.entries(inputs.upstream)) details[`upstream ${stage}`] = key;
  if (plan.internal) details["recomp build"] = inputs.recompBuild;
  else for (const [name, value] of Object.entries(inputs.env)) details[`env ${name}`] = value;
  return { value: sha256Hex(canonicalJson(components)), components: digests, details };
}

function short(value: string | undefined): string {
  if (value === undefined) return "(none)";
  return /^[0-9a-f]{64}$/.test(value) ? `${value.slice(0, 12)}…` : value.length > 120 ? `${value.slice(0, 117)}...` : value;
}

/** "file title.toml 1a2b… -> 3c4d…" for every input that differs (upstream entries excluded: the caller names them). */
export function changedDetails(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names
    .filter((name) => !name.startsWith("upstream ") && before[name] !== after[name])
    .map((name) => `${name} ${short(before[name])} -> ${short(after[name])}`);
}

/** Names of the components that differ between two fingerprints, for "re-ran because ..." notes. */
export function changedComponents(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}
