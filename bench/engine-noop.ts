// Benchmark (issue 11: engine): the two no-op re-run figures side by side, in the same session.
// 1. A config whose inputs total 2 GiB: the no-op re-run of `recomp automate` against `sha256sum` over
//    the same files (goal: under 5%). 2. The demo (samples/demo copied to a temp folder, real build,
//    run, capture and validation): its no-op re-run (goal: under 1 s). Wall and CPU time (user + system
//    of the recomp process and its children, which the machine's other tenants inflate less). In each, the
//    engine's first no-op re-run (which records it) is reported apart; the others are replayed from that
//    record (docs/engine.md, "Replayed no-op re-runs") unless RECOMP_CACHE_DIR=off.
// Run by hand: npm run build && npx tsx bench/engine-noop.ts [--gib 2] [--runs 5]
import { execFileSync } from "node:child_process";
import { open, rm } from "node:fs/promises";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { replayNote } from "../src/engine/memo/replayable.js";
import { writeProvenance } from "../src/intake/provenance-init.js";
import { copyDemo, makeProject } from "../test/engine/fixture.js";
import { testProvenanceIdentity } from "../test/helpers/provenance.js";
import { childrenCpu } from "./cpu-time.js";
import { median } from "./median.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const gib = option("--gib", 2);
const runs = option("--runs", 5);
const recomp = resolve(import.meta.dirname, "../bin/recomp.js");

async function bigInput(path: string, bytes: number): Promise<void> {
  const handle = await open(path, "w");
  const block = Buffer.alloc(1 << 24);
  for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((i * 2654435761) >>> 0, i);
  block.write("NSO0", 0, "latin1");
  for (let written = 0; written < bytes; written += block.length) {
    await handle.write(block, 0, Math.min(block.length, bytes - written));
    block.writeUInt32LE(written >>> 0, 64);
  }
  await handle.close();
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}


type Summary = { steps: { status: string; cache_hit: boolean; notes: string[] }[] };

/** `recomp automate --json` in `dir`: wall and CPU seconds, whether every stage was reused or skipped, and whether it was replayed. */
function automate(dir: string): { wall: number; cpu: number; noop: boolean; replayed: boolean } {
  const cpu = childrenCpu();
  const start = process.hrtime.bigint();
  const out = execFileSync(process.execPath, [recomp, "automate", "--config", "automation.toml", "--json"], { cwd: dir, stdio: "pipe" });
  const wall = seconds(start);
  const summary = JSON.parse(out.toString()) as Summary;
  const noop = summary.steps.every((step) => step.status === "skipped" || step.cache_hit);
  return { wall, cpu: childrenCpu() - cpu, noop, replayed: summary.steps.some((step) => step.notes.includes(replayNote)) };
}

/**
 * The engine's no-op re-run (the first after a change, which records it), then `runs` no-op re-runs (replayed
 * from that record unless caching is off), `between` before each; the bench fails if one is not a no-op.
 */
function noopRuns(dir: string, between: () => void = () => undefined): { engine: { wall: number; cpu: number }; wall: number[]; cpu: number[]; replayed: number } {
  const engine = automate(dir);
  if (!engine.noop || engine.replayed) throw new Error(`the first re-run in ${dir} was not the engine's no-op`);
  const wall: number[] = [];
  const cpu: number[] = [];
  let replayed = 0;
  for (let i = 0; i < runs; i += 1) {
    between();
    const run = automate(dir);
    if (!run.noop) throw new Error(`the re-run in ${dir} was not a no-op`);
    wall.push(run.wall);
    cpu.push(run.cpu);
    if (run.replayed) replayed += 1;
  }
  return { engine, wall, cpu, replayed };
}

const list = (values: number[]) => values.map((v) => v.toFixed(2)).join(", ");
// Every figure depends on what else the machine runs: the load average goes with it.
const load = () => loadavg().map((v) => v.toFixed(1)).join(", ");
console.log(`load average at the start: ${load()}`);

// The engine tests' project (lifted mode, real frames, exact validation) plus 2 GiB of inputs.
const dir = await makeProject();
try {
  const half = Math.floor((gib * 2 ** 30) / 2);
  const inputs = [join(dir, "a.nso"), join(dir, "b.nso")];
  for (const input of inputs) await bigInput(input, half);
  await writeProvenance([...inputs, join(dir, "module.json")], { ...testProvenanceIdentity, out: join(dir, "provenance.toml"), force: true });
  const first = automate(dir);
  const sha: number[] = [];
  const shaCpu: number[] = [];
  const noop = noopRuns(dir, () => {
    const cpu = childrenCpu();
    const start = process.hrtime.bigint();
    execFileSync("sha256sum", inputs, { stdio: "pipe" });
    sha.push(seconds(start));
    shaCpu.push(childrenCpu() - cpu);
  });
  const ratio = median(noop.wall) / median(sha);
  console.log(`inputs: ${gib} GiB in 2 files; runs: ${runs}`);
  console.log(`first automate run (hashes every input once): ${first.wall.toFixed(2)} s`);
  console.log(`sha256sum of the inputs, median: ${median(sha).toFixed(3)} s wall (${list(sha)}), ${median(shaCpu).toFixed(3)} s CPU`);
  console.log(`the engine's no-op re-run (the first, which records it): ${noop.engine.wall.toFixed(3)} s wall, ${noop.engine.cpu.toFixed(3)} s CPU`);
  console.log(`no-op automate re-run (${noop.replayed} of ${runs} replayed), median: ${median(noop.wall).toFixed(3)} s wall (${list(noop.wall)}), ${median(noop.cpu).toFixed(3)} s CPU`);
  console.log(`ratio no-op / sha256sum: ${(ratio * 100).toFixed(1)}% wall, ${((median(noop.cpu) / median(shaCpu)) * 100).toFixed(1)}% CPU (goal: under 5%)`);
  console.log(`load average: ${load()}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}

const demo = await copyDemo();
try {
  const first = automate(demo);
  const noop = noopRuns(demo);
  console.log(`demo: first automate run (build, run, capture, validation): ${first.wall.toFixed(2)} s`);
  console.log(`demo: the engine's no-op re-run (the first, which records it): ${noop.engine.wall.toFixed(3)} s wall, ${noop.engine.cpu.toFixed(3)} s CPU`);
  console.log(`demo: no-op automate re-run (${noop.replayed} of ${runs} replayed), median: ${median(noop.wall).toFixed(3)} s wall (${list(noop.wall)}), ${median(noop.cpu).toFixed(3)} s CPU (${list(noop.cpu)}) (goal: under 1 s)`);
  console.log(`load average: ${load()}`);
} finally {
  await rm(demo, { recursive: true, force: true });
}
