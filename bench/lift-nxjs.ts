/**
 * Benchmark: `recomp lift` of the whole nx.js NRO (npm @nx.js/nro 0.0.69, 4.7 MB of code, 10,864
 * FDEs), as a user runs it: the bundled CLI (`npm run build` first) in a fresh process, writing
 * module.json and the segment images. Goal: at most 10 s and 1 GiB. Reports wall-clock and CPU
 * seconds and the peak resident set size (GNU time), with the load average, because a shared
 * machine makes wall-clock figures noisy. Then the emitter's read of that module.json
 * (`loadModuleJson` of dist/, in a fresh process: JSON parse and schema check into IR objects).
 *
 *   npm run build && npx tsx bench/lift-nxjs.ts [runs=3]
 */
import { execa } from "execa";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { median } from "./median.js";

const runs = Number(process.argv[2] ?? 3);
const root = join(import.meta.dirname, "..");
const nro = join(root, "node_modules", "@nx.js", "nro", "dist", "nxjs.nro");
const dir = await mkdtemp(join(tmpdir(), "recomp-bench-lift-"));
const readScript = `const { loadModuleJson } = await import(${JSON.stringify(pathToFileURL(join(root, "dist", "emit", "load-module.js")).href)}); await loadModuleJson(process.argv[1]);`;

interface Run {
  wall: number;
  cpu: number;
  rssMiB: number;
}

try {
  const results: Run[] = [];
  let summary = "";
  for (let i = 0; i < runs; i++) {
    const out = join(dir, `out${i}`);
    const argv = ["-f", "%e %U %S %M", "node", join(root, "bin", "recomp.js"), "lift", "--nro", nro, "--base", "0x10000000", "--out", out, "--json"];
    const load = loadavg()[0]?.toFixed(1);
    const result = await execa("/usr/bin/time", argv);
    const [wall = Number.NaN, user = Number.NaN, system = Number.NaN, rss = Number.NaN] = result.stderr.trim().split("\n").pop()?.split(" ").map(Number) ?? [];
    results.push({ wall, cpu: user + system, rssMiB: rss / 1024 });
    const json = JSON.parse(result.stdout) as Record<string, unknown> & { unsupported: unknown[] };
    summary = `functions ${String(json.functions)}, FDE functions found ${String(json.fde_functions_found)} of ${String(json.fde_functions)}, .text lifted ${String(json.text_bytes_lifted)} of ${String(json.text_bytes)} bytes, unsupported sites ${json.unsupported.length}`;
    console.log(`run ${i + 1}: wall ${wall.toFixed(1)} s, cpu ${(user + system).toFixed(1)} s, peak RSS ${(rss / 1024).toFixed(0)} MiB (load average ${load})`);
    const read = await execa("/usr/bin/time", ["-f", "%e %U %S %M", "node", "--input-type=module", "-e", readScript, join(out, "module.json")]);
    const [readWall = Number.NaN, readUser = Number.NaN, readSystem = Number.NaN, readRss = Number.NaN] = read.stderr.trim().split("\n").pop()?.split(" ").map(Number) ?? [];
    console.log(`  emit's read of module.json: wall ${readWall.toFixed(1)} s, cpu ${(readUser + readSystem).toFixed(1)} s, peak RSS ${(readRss / 1024).toFixed(0)} MiB`);
    await rm(out, { recursive: true, force: true });
  }
  console.log(summary);
  console.log(
    `median of ${runs}: wall ${median(results.map((r) => r.wall)).toFixed(1)} s, cpu ${median(results.map((r) => r.cpu)).toFixed(1)} s, peak RSS ${median(results.map((r) => r.rssMiB)).toFixed(0)} MiB (goal: 10 s, 1024 MiB)`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
