// engine: what differs between two run manifests, ignoring what is volatile by design (run id, timings,
// and the note of a replayed no-op re-run, which decided the same as the engine would have).
import type { RunManifest } from "../config/run-manifest.js";
import { canonicalJson } from "../util/canonical-json.js";
import { replayNote } from "./memo/replayable.js";

function show(value: unknown): string {
  return typeof value === "string" ? value : canonicalJson(value);
}

function diffKeyed<T>(label: string, before: readonly T[], after: readonly T[], key: (item: T) => string, ignore: readonly string[]): string[] {
  const lines: string[] = [];
  const a = new Map(before.map((item) => [key(item), item]));
  const b = new Map(after.map((item) => [key(item), item]));
  for (const name of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const left = a.get(name);
    const right = b.get(name);
    if (left === undefined) lines.push(`${label} + ${name}`);
    else if (right === undefined) lines.push(`${label} - ${name}`);
    else {
      for (const field of Object.keys(left as object).sort()) {
        if (ignore.includes(field)) continue;
        const l = (left as Record<string, unknown>)[field];
        const r = (right as Record<string, unknown>)[field];
        if (canonicalJson(l) !== canonicalJson(r)) lines.push(`${label} ${name}.${field}: ${show(l)} -> ${show(r)}`);
      }
    }
  }
  return lines;
}

export function diffManifests(before: RunManifest, after: RunManifest): string[] {
  const lines: string[] = [];
  for (const field of ["execution_mode", "host_fingerprint", "input_fingerprint", "validation_report", "result"] as const) {
    if (canonicalJson(before[field]) !== canonicalJson(after[field])) lines.push(`${field}: ${show(before[field])} -> ${show(after[field])}`);
  }
  const toolNames = [...new Set([...Object.keys(before.tool_versions), ...Object.keys(after.tool_versions)])].sort();
  for (const tool of toolNames) {
    const l = before.tool_versions[tool];
    const r = after.tool_versions[tool];
    if (l !== r) lines.push(`tool_versions ${tool}: ${l ?? "(none)"} -> ${r ?? "(none)"}`);
  }
  lines.push(...diffKeyed("inputs", before.inputs, after.inputs, (i) => `${i.name} ${i.path}`, []));
  const decided = (steps: RunManifest["steps"]) => steps.map((step) => ({ ...step, notes: step.notes.filter((note) => note !== replayNote) }));
  lines.push(...diffKeyed("steps", decided(before.steps), decided(after.steps), (s) => s.name, ["duration_ms"]));
  lines.push(...diffKeyed("artifacts", before.artifacts, after.artifacts, (a) => a.path, []));
  return lines;
}
