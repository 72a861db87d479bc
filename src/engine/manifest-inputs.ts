// engine: the manifest's inputs: every config file the run read and every provenance input.
import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { ManifestInput } from "../config/run-manifest.js";
import type { VerifiedProvenance } from "../intake/provenance.js";
import type { HashCache } from "./hash-cache.js";
import { displayPath } from "./paths.js";
import type { ResolvedConfig } from "./resolved-config.js";

export async function manifestInputs(config: ResolvedConfig, provenance: VerifiedProvenance, hashCache: HashCache): Promise<ManifestInput[]> {
  const p = config.paths;
  const rel = (path: string) => displayPath(p.configDir, path);
  const named: [string, string | undefined][] = [
    ["automation_toml", p.configFile],
    ["provenance_toml", p.provenance],
    ["title_toml", p.title],
    // A reference made by emulation is an output of the run (emulate_reference), not an input.
    ["reference_video_toml", p.emulatedReferenceDir === undefined ? p.referenceVideoToml : undefined],
    ["capture_video_toml", p.captureVideoToml],
    ["validation_config_toml", p.validationConfigToml],
    ["input_script_toml", p.inputScriptToml],
  ];
  const referenceDir = resolve(p.referenceVideoToml, "..");
  for (const [kind, source] of [
    ["frames", config.reference?.hashes.frames],
    ["audio", config.reference?.hashes.audio],
  ] as const) {
    if (source !== undefined) named.push([`reference_${kind}_hashes`, resolve(referenceDir, source.path)]);
  }
  const out: ManifestInput[] = [];
  for (const [name, path] of named) {
    if (path === undefined) continue;
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory() === true) {
      for (const entry of await hashCache.tree(path)) out.push({ name, path: rel(join(path, entry.path)), sha256: entry.sha256, size: entry.size });
    } else if (info !== undefined) {
      const digest = await hashCache.digest(path);
      out.push({ name, path: rel(path), ...digest });
    }
  }
  for (const input of provenance.inputs) {
    out.push({ name: input.entry.role, path: rel(input.absolutePath), sha256: input.entry.sha256.toLowerCase(), size: input.entry.size });
  }
  return out;
}
