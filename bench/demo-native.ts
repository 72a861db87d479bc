/**
 * Benchmark: the demo's native host build (the reference side of issue 5's "recompiled vs native"
 * benchmark), same input script, capture writing disabled. Prints the median and spread of
 * whole-process wall time over N runs (the demo itself is 192 frames), and the same for
 * `/bin/true`: the demo runs for milliseconds, so process start-up is shown separately, and the
 * CPU time the services report at exit (`--print-cpu-time`) is the figure to compare.
 *
 *   npx tsx bench/demo-native.ts [runs=30]
 *
 * `timeDemoRuns` is shared with the recompiled side: give it any argv that runs the demo.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { execa } from "execa";
import { formatReplayFile, loadInputScript } from "../src/replay/index.js";
import { writeFileAtomic } from "../src/util/atomic-write.js";
import { buildNativeDemo } from "../scripts/demo/native.js";
import { demoPaths } from "../scripts/demo/paths.js";

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface RunTimes {
  runs: number;
  /** Whole-process wall time, ms. */
  wallMs: Spread;
  /** CPU time the services report at exit (--print-cpu-time), ms; undefined for other programs. */
  cpuMs: Spread | undefined;
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)] ?? 0, min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
}

/** Runs `argv` `runs` times (after one warm-up run) and reports wall and reported CPU time per run. */
export async function timeDemoRuns(argv: readonly string[], runs: number): Promise<RunTimes> {
  const [program, ...args] = argv;
  if (program === undefined) throw new Error("timeDemoRuns: empty argv");
  await execa(program, args);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const { stderr } = await execa(program, args);
    wall.push(Number(process.hrtime.bigint() - start) / 1e6);
    const reported = /recomp runtime: cpu time (\d+) us/.exec(stderr);
    if (reported !== null) cpu.push(Number(reported[1]) / 1000);
  }
  return { runs, wallMs: spread(wall), cpuMs: cpu.length === runs ? spread(cpu) : undefined };
}

/** Builds the native demo and the demo's replay file in `work`; returns the argv that runs it without capture. */
export async function prepareNativeDemo(work: string): Promise<string[]> {
  const binary = join(work, "demo-native");
  const replayFile = join(work, "replay.txt");
  await buildNativeDemo(binary);
  const { schedule } = await loadInputScript(demoPaths.inputScript);
  await writeFileAtomic(replayFile, formatReplayFile(schedule));
  return [binary, "--no-capture", "--print-cpu-time", "--replay", replayFile];
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 30);
  const work = await mkdtemp(join(tmpdir(), "recomp-bench-demo-"));
  try {
    const baseline = await timeDemoRuns(["/bin/true"], runs);
    const native = await timeDemoRuns(await prepareNativeDemo(work), runs);
    const fmt = (s: Spread) => `median ${s.median.toFixed(2)} ms (min ${s.min.toFixed(2)}, max ${s.max.toFixed(2)})`;
    process.stdout.write(`${runs} runs each\n`);
    process.stdout.write(`process start-up (/bin/true) wall: ${fmt(baseline.wallMs)}\n`);
    process.stdout.write(`native demo, capture disabled, wall: ${fmt(native.wallMs)}\n`);
    if (native.cpuMs !== undefined) process.stdout.write(`native demo, capture disabled, cpu: ${fmt(native.cpuMs)}\n`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
