// engine: the kind of machine a run ran on, as the manifest records it. Node built-ins and recomp's
// own small utilities only: the no-op replay (memo/replay.ts) checks it before anything else loads.
import { arch, cpus, platform, release, totalmem } from "node:os";
import { canonicalJson } from "../util/canonical-json.js";
import { sha256Hex } from "../util/hash.js";

let hostFingerprintValue: string | undefined;

/** Identifies the kind of machine (OS, CPU, memory size), never the machine's name or user. */
export function hostFingerprint(): string {
  hostFingerprintValue ??= computeHostFingerprint();
  return hostFingerprintValue;
}

function computeHostFingerprint(): string {
  const cpu = cpus()[0]?.model ?? "unknown";
  return sha256Hex(
    canonicalJson({
      platform: platform(),
      arch: arch(),
      release: release(),
      cpu,
      cpu_count: cpus().length,
      memory_gib: Math.round(totalmem() / 2 ** 30),
    }),
  );
}
