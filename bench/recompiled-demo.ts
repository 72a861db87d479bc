// bench: the recompiled demo (lift + emit + cc -O2) against the native host build of the same source,
// same replay input, capture disabled in both, runs interleaved in one session.
// Run: npx tsx bench/recompiled-demo.ts [runs]   (results: docs/benchmarks.md, "Recompiled demo vs native")
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { parseTomlFile } from "../src/config/toml.js";
import { titleSchema } from "../src/config/title.js";
import { emitProject } from "../src/emit/index.js";
import { imageFromNro, liftModule } from "../src/lift/index.js";
import { formatReplayFile, loadInputScript } from "../src/replay/index.js";
import { buildNativeDemo } from "../scripts/demo/native.js";
import { demoPaths } from "../scripts/demo/paths.js";
import { demoVideo } from "../scripts/demo/reference.js";

const runs = Number(process.argv[2] ?? 30);

async function timeRun(binary: string, args: string[]): Promise<number> {
  const start = process.hrtime.bigint();
  await execa(binary, args);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** User + system CPU seconds of `runs` back-to-back runs (GNU time over a shell loop). */
async function cpuSeconds(binary: string, args: string[]): Promise<number> {
  const loop = `i=0; while [ $i -lt ${runs} ]; do "$0" "$@" >/dev/null 2>&1; i=$((i + 1)); done`;
  const { stderr } = await execa("/usr/bin/time", ["-f", "%U %S", "sh", "-c", loop, binary, ...args]);
  const [user = "0", system = "0"] = stderr.trim().split("\n").pop()?.split(" ") ?? [];
  return Number(user) + Number(system);
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const work = await mkdtemp(join(tmpdir(), "recomp-bench-"));
try {
  const native = join(work, "demo-native");
  await buildNativeDemo(native);
  const lifted = await liftModule({ image: await imageFromNro(demoPaths.nro, 0x10000000n), mode: "decode", outDir: join(work, "lift") });
  const title = parseTomlFile(await readFile(join(demoPaths.nro, "..", "title.toml"), "utf8"), "title.toml", titleSchema).data;
  const build = join(work, "build");
  const emitted = await emitProject({ moduleJsonPath: lifted.modulePath, outDir: build, title });
  await execa("make", ["-s", "-C", build]);
  const { schedule } = await loadInputScript(demoPaths.inputScript, demoVideo.fps);
  const replay = join(work, "replay.txt");
  await writeFile(replay, formatReplayFile(schedule));
  const args = ["--no-capture", "--replay", replay];
  const times = { native: [] as number[], recompiled: [] as number[] };
  for (let i = 0; i < runs; i++) {
    times.native.push(await timeRun(native, args));
    times.recompiled.push(await timeRun(join(build, emitted.executable), args));
  }
  const [n, r] = [median(times.native), median(times.recompiled)];
  const [nc, rc] = [await cpuSeconds(native, args), await cpuSeconds(join(build, emitted.executable), args)];
  console.log(`runs: ${runs} each, interleaved; median wall time per run (process start to exit)`);
  console.log(`native     ${n.toFixed(1)} ms wall, ${((nc / runs) * 1000).toFixed(1)} ms CPU`);
  console.log(`recompiled ${r.toFixed(1)} ms wall, ${((rc / runs) * 1000).toFixed(1)} ms CPU`);
  console.log(`ratio      ${(r / n).toFixed(2)}x wall, ${(rc / nc).toFixed(2)}x CPU (goal <= 3x)`);
} finally {
  await rm(work, { recursive: true, force: true });
}
