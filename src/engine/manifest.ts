// engine: run-manifest.json: built from the stage records, sorted, relative paths, written atomically.
import type { StageName } from "../config/automation.js";
import { runManifestSchema, type ManifestArtifact, type ManifestInput, type ManifestStep, type RunManifest } from "../config/run-manifest.js";
import { canonicalJson, canonicalJsonPretty } from "../util/canonical-json.js";
import { sha256Hex } from "../util/hash.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { hostFingerprint } from "./host-fingerprint.js";
import type { Redactor } from "./redact.js";
import type { StageRecord } from "./state.js";

export function inputFingerprint(inputs: readonly ManifestInput[]): string {
  return sha256Hex(canonicalJson(inputs.map((i) => [i.name, i.path, i.sha256, i.size])));
}

export interface StepEntry {
  name: StageName;
  record: StageRecord;
  cacheHit: boolean;
  stdoutPath: string | null;
  stderrPath: string | null;
}

export interface ManifestParts {
  runId: string;
  toolVersions: Record<string, string>;
  inputs: ManifestInput[];
  steps: StepEntry[];
  validationReport: { path: string; passed: boolean } | null;
  result: RunManifest["result"];
}

export function buildManifest(parts: ManifestParts): RunManifest {
  const steps: ManifestStep[] = parts.steps.map(({ name, record, cacheHit, stdoutPath, stderrPath }) => ({
    name,
    status: record.status,
    cache_hit: cacheHit,
    fingerprint: record.fingerprint,
    stage_attempt: record.stage_attempt,
    duration_ms: Math.round(record.duration_ms),
    command: record.command,
    exit_code: record.exit_code,
    stdout_path: stdoutPath,
    stderr_path: stderrPath,
    outputs: [...record.declared_outputs].sort(),
    notes: record.notes,
  }));
  const artifacts: ManifestArtifact[] = [];
  for (const { name, record } of parts.steps) {
    if (record.status !== "succeeded") continue;
    for (const output of record.outputs) artifacts.push({ path: output.path, sha256: output.sha256, size: output.size, role: output.role, stage: name });
  }
  artifacts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const inputs = [...parts.inputs].sort((a, b) => (a.name + a.path < b.name + b.path ? -1 : 1));
  return {
    schema_version: "1",
    run_id: parts.runId,
    execution_mode: "local",
    host_fingerprint: hostFingerprint(),
    tool_versions: parts.toolVersions,
    input_fingerprint: inputFingerprint(inputs),
    inputs,
    steps,
    artifacts,
    validation_report: parts.validationReport,
    result: parts.result,
  };
}

/** The manifest's text as written: canonical, redacted. */
export function manifestText(manifest: RunManifest, redactor: Redactor): string {
  return redactor.apply(canonicalJsonPretty(manifest));
}

/** Writes the manifest (redacted) and returns the text written. */
export async function writeManifest(path: string, manifest: RunManifest, redactor: Redactor): Promise<string> {
  const text = manifestText(manifest, redactor);
  await writeFileAtomic(path, text);
  return text;
}

export function parseManifest(text: string): RunManifest | undefined {
  try {
    const parsed = runManifestSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
