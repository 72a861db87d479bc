// Benchmark (issue: demo loop): `recomp automate` on samples/demo/automation.toml from scratch, then
// no-op re-runs (every stage reused). Run by hand: npm run build && npx tsx bench/demo-loop.ts [runs]
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { median } from "./median.js";

const runs = Number(process.argv[2] ?? 5);
const repo = resolve(import.meta.dirname, "..");
const recomp = resolve(repo, "bin/recomp.js");
const automate = () => execFileSync(process.execPath, [recomp, "automate", "--config", "samples/demo/automation.toml", "--json"], { cwd: repo, stdio: "pipe" });
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

rmSync(resolve(repo, "samples/demo/work"), { recursive: true, force: true });
let start = process.hrtime.bigint();
const first = JSON.parse(automate().toString()) as { steps: { name: string; duration_ms: number }[] };
const firstRun = seconds(start);
const noop: number[] = [];
for (let i = 0; i < runs; i += 1) {
  start = process.hrtime.bigint();
  const summary = JSON.parse(automate().toString()) as { steps: { status: string; cache_hit: boolean }[] };
  noop.push(seconds(start));
  if (!summary.steps.every((s) => s.status === "skipped" || s.cache_hit)) throw new Error("the re-run was not a no-op");
}
console.log(`first run, whole loop: ${firstRun.toFixed(2)} s (${first.steps.map((s) => `${s.name} ${s.duration_ms} ms`).join(", ")})`);
console.log(`no-op re-run, median of ${runs}: ${median(noop).toFixed(3)} s (min ${Math.min(...noop).toFixed(3)} s; goal under 1 s)`);
