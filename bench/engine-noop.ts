// Benchmark (issue: engine): a config whose inputs total 2 GiB. Times the no-op re-run of
// `recomp automate` against `sha256sum` over the same files, in the same session.
// Run by hand: npm run build && npx tsx bench/engine-noop.ts [--gib 2] [--runs 5]
import { execFileSync } from "node:child_process";
import { open, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { writeProvenance } from "../src/intake/provenance-init.js";
import { makeProject } from "../test/engine/fixture.js";
import { testProvenanceIdentity } from "../test/helpers/provenance.js";
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


// The engine tests' project (lifted mode, real frames, exact validation) plus 2 GiB of inputs.
const dir = await makeProject();
try {
  const half = Math.floor((gib * 2 ** 30) / 2);
  const inputs = [join(dir, "a.nso"), join(dir, "b.nso")];
  for (const input of inputs) await bigInput(input, half);
  await writeProvenance([...inputs, join(dir, "module.json")], { ...testProvenanceIdentity, out: join(dir, "provenance.toml"), force: true });
  const automate = () => execFileSync(process.execPath, [recomp, "automate", "--config", "automation.toml", "--json"], { cwd: dir, stdio: "pipe" });
  let start = process.hrtime.bigint();
  automate();
  const firstRun = seconds(start);
  const noop: number[] = [];
  const sha: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    start = process.hrtime.bigint();
    execFileSync("sha256sum", inputs, { stdio: "pipe" });
    sha.push(seconds(start));
    start = process.hrtime.bigint();
    const summary = JSON.parse(automate().toString()) as { steps: { status: string; cache_hit: boolean }[] };
    noop.push(seconds(start));
    if (!summary.steps.every((step) => step.status === "skipped" || step.cache_hit)) throw new Error("the re-run was not a no-op");
  }
  const ratio = median(noop) / median(sha);
  console.log(`inputs: ${gib} GiB in 2 files; runs: ${runs}`);
  console.log(`first automate run (hashes every input once): ${firstRun.toFixed(2)} s`);
  console.log(`sha256sum of the inputs, median: ${median(sha).toFixed(3)} s`);
  console.log(`no-op automate re-run, median: ${median(noop).toFixed(3)} s`);
  console.log(`ratio no-op / sha256sum: ${(ratio * 100).toFixed(1)}% (goal: under 5%)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
