/**
 * Benchmark: libnx simplegfx (test/fixtures/libnx/simplegfx.nro) recompiled for the horizon personality (lift +
 * emit, the Makefile's default `cc -O2`), 600 presented 1280x720 frames (its input script with Plus moved to frame
 * 600), run `runs` times with capture on (raw PPM frames and the WAV written to a temp folder) and off
 * (`--no-capture`). Frames per second = 600 / wall time of the run (process start to exit), median of the runs;
 * beside it the CPU time the services report at exit and 600 / that (what a machine with a free core would reach,
 * as a shared machine's wall time is mostly waiting). The console itself runs simplegfx at 60.
 *
 *   npx tsx bench/simplegfx-fps.ts [runs=5]
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { main } from "../src/cli/main.js";
import { repoRoot } from "../scripts/libnx-samples.js";
import { median } from "./median.js";

const runs = Number(process.argv[2] ?? 5);
const frames = 600;
const work = await mkdtemp(join(tmpdir(), "recomp-bench-simplegfx-"));
try {
  const sample = join(repoRoot, "samples", "libnx", "simplegfx");
  const nro = join(repoRoot, "test", "fixtures", "libnx", "simplegfx.nro");
  const title = join(sample, "title.toml");
  const script = (await readFile(join(sample, "input_script.toml"), "utf8")).replace(/^frame = 150$/m, `frame = ${frames}`);
  if (!script.includes(`frame = ${frames}`)) throw new Error("samples/libnx/simplegfx/input_script.toml no longer presses Plus at frame 150");
  await writeFile(join(work, "input_script.toml"), script);
  const quiet = async (argv: string[]) => {
    if ((await main(["node", "recomp", ...argv])) !== 0) throw new Error(`recomp ${argv.join(" ")} failed`);
  };
  await quiet(["lift", "--nro", nro, "--title", title, "--out", join(work, "lift")]);
  await quiet(["emit", "--module", join(work, "lift", "module.json"), "--title", title, "--out", join(work, "build")]);
  await execa("make", ["-s", "-C", join(work, "build")]);
  await quiet(["replay", "convert", join(work, "input_script.toml"), "--out", join(work, "replay.txt")]);
  const binary = join(work, "build", "recomp-title");
  const env = { RECOMP_SDMC_DIR: join(work, "sdmc"), RECOMP_SELF_NRO: nro };

  async function measure(capture: boolean): Promise<{ fps: number; cpuMs: number }[]> {
    const results: { fps: number; cpuMs: number }[] = [];
    for (let i = 0; i < runs; i++) {
      const out = join(work, `run-${capture ? "on" : "off"}-${i}`);
      const flags = capture ? ["--capture-dir", out] : ["--no-capture"];
      const start = process.hrtime.bigint();
      const run = await execa(binary, ["--fps", "60", "--replay", join(work, "replay.txt"), "--print-cpu-time", ...flags], { env });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const cpu = /cpu time (\d+) us/.exec(run.stderr);
      results.push({ fps: frames / seconds, cpuMs: cpu === null ? Number.NaN : Number(cpu[1]) / 1000 });
      if (capture) await rm(out, { recursive: true, force: true });
    }
    return results;
  }

  const on = await measure(true);
  const off = await measure(false);
  const line = (name: string, r: { fps: number; cpuMs: number }[]) => {
    const fps = r.map((x) => x.fps);
    const cpuMs = median(r.map((x) => x.cpuMs));
    return `${name}: ${median(fps).toFixed(1)} fps median (min ${Math.min(...fps).toFixed(1)}, max ${Math.max(...fps).toFixed(1)}); services CPU time median ${cpuMs.toFixed(0)} ms = ${((frames * 1000) / cpuMs).toFixed(1)} frames per CPU second\n`;
  };
  process.stdout.write(`simplegfx, ${frames} frames at 1280x720, ${runs} runs each, on ${cpus()[0]?.model ?? "unknown CPU"} (${cpus().length} logical CPUs)\n`);
  process.stdout.write(line("capture on ", on));
  process.stdout.write(line("capture off", off));
} finally {
  await rm(work, { recursive: true, force: true });
}
