/**
 * Benchmark: the recompiled demo (recomp lift + emit, the Makefile's default `cc -O2`) against the
 * native host build of the same source (bench/demo-native.ts), same replay input, capture writing
 * disabled in both, measured in one session with the same `timeDemoRuns`. The figure to compare is
 * the CPU time the services report at exit (the demo runs for milliseconds; wall time is mostly
 * process start-up).
 *
 *   npx tsx bench/recompiled-demo.ts [runs=30]
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { parseTomlFile } from "../src/config/toml.js";
import { titleSchema } from "../src/config/title.js";
import { emitProject } from "../src/emit/index.js";
import { imageFromNro, liftModule } from "../src/lift/index.js";
import { demoPaths } from "../scripts/demo/paths.js";
import { prepareNativeDemo, timeDemoRuns, type Spread } from "./demo-native.js";

const runs = Number(process.argv[2] ?? 30);
const work = await mkdtemp(join(tmpdir(), "recomp-bench-recompiled-"));
try {
  const nativeArgv = await prepareNativeDemo(work);
  const lifted = await liftModule({ image: await imageFromNro(demoPaths.nro, 0x10000000n), mode: "decode", outDir: join(work, "lift") });
  const titleFile = join(demoPaths.nro, "..", "title.toml");
  const title = parseTomlFile(await readFile(titleFile, "utf8"), titleFile, titleSchema).data;
  const build = join(work, "build");
  const emitted = await emitProject({ moduleJsonPath: lifted.modulePath, outDir: build, title });
  await execa("make", ["-s", "-C", build]);
  const recompiledArgv = [join(build, emitted.executable), ...nativeArgv.slice(1)];
  const native = await timeDemoRuns(nativeArgv, runs);
  const recompiled = await timeDemoRuns(recompiledArgv, runs);
  const fmt = (s: Spread | undefined) => (s === undefined ? "n/a" : `median ${s.median.toFixed(2)} ms (min ${s.min.toFixed(2)}, max ${s.max.toFixed(2)})`);
  process.stdout.write(`${runs} runs each, capture disabled\n`);
  process.stdout.write(`native     wall ${fmt(native.wallMs)}; cpu ${fmt(native.cpuMs)}\n`);
  process.stdout.write(`recompiled wall ${fmt(recompiled.wallMs)}; cpu ${fmt(recompiled.cpuMs)}\n`);
  const ratio = (a: Spread | undefined, b: Spread | undefined) => (a === undefined || b === undefined ? "n/a" : `${(a.median / b.median).toFixed(2)}x`);
  process.stdout.write(`ratio recompiled/native: cpu ${ratio(recompiled.cpuMs, native.cpuMs)}, wall ${ratio(recompiled.wallMs, native.wallMs)} (goal: at most 3x)\n`);
} finally {
  await rm(work, { recursive: true, force: true });
}
