// util: recomp's own version (package.json), recorded in manifests and reports.
import { readFileSync } from "node:fs";

export function recompVersion(): string {
  // From src/util (tsx) or dist/util (built), package.json is two folders up.
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
  return pkg.version ?? "unknown";
}
