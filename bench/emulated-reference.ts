/**
 * Benchmark (issue 13): the emulated reference (simplegfx's original code under qemu-aarch64 over the runtime
 * built for AArch64, docs/reference-emulated.md) against the recompiled run of the same module, 600 frames at
 * 60 fps (the sample's input script with Plus moved to frame 600), capture writing disabled in both
 * (`--no-capture`), alternated in one session. Builds are not timed.
 *
 *   npx tsx bench/emulated-reference.ts [runs=3]
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { parseTomlFile } from "../src/config/toml.js";
import { titleSchema } from "../src/config/title.js";
import { emitProject } from "../src/emit/index.js";
import { imageFromNro, liftModule } from "../src/lift/index.js";
import { formatReplayFile, loadInputScript } from "../src/replay/index.js";
import { median } from "./median.js";

const runs = Number(process.argv[2] ?? 3);
const repo = join(import.meta.dirname, "..");
const sample = join(repo, "samples", "libnx", "simplegfx");
const nro = join(repo, "test", "fixtures", "libnx", "simplegfx.nro");
const work = await mkdtemp(join(tmpdir(), "recomp-bench-emulated-"));
try {
  const titleFile = join(sample, "title.toml");
  const title = parseTomlFile(await readFile(titleFile, "utf8"), titleFile, titleSchema).data;
  const lifted = await liftModule({ image: await imageFromNro(nro, 0x10000000n), mode: "decode", outDir: join(work, "lift") });
  const builds: Record<string, string> = {};
  for (const host of ["recompiled", "emulated"] as const) {
    const out = join(work, host);
    const emitted = await emitProject({ moduleJsonPath: lifted.modulePath, outDir: out, title, titleFile, host });
    await execa("make", ["-s", "-C", out]);
    builds[host] = join(out, emitted.executable);
  }
  const script = (await readFile(join(sample, "input_script.toml"), "utf8")).replace("frame = 150", "frame = 600");
  if (!script.includes("frame = 600")) throw new Error("samples/libnx/simplegfx/input_script.toml no longer presses Plus at frame 150");
  await writeFile(join(work, "input_script.toml"), script);
  const replay = join(work, "replay.txt");
  await writeFile(replay, formatReplayFile((await loadInputScript(join(work, "input_script.toml"), 60)).schedule));
  await mkdir(join(work, "sdmc"));
  const args = ["--fps", "60", "--no-capture", "--capture-dir", join(work, "run"), "--replay", replay];
  const env = { RECOMP_SDMC_DIR: join(work, "sdmc"), RECOMP_SELF_NRO: nro };
  const argv: Record<string, [string, string[]]> = {
    recompiled: [builds.recompiled ?? "", args],
    emulated: ["qemu-aarch64", ["-cpu", "cortex-a57", builds.emulated ?? "", ...args]],
  };
  const times: Record<string, number[]> = { recompiled: [], emulated: [] };
  for (let i = 0; i < runs; i++) {
    for (const host of ["recompiled", "emulated"]) {
      const [file, list] = argv[host] ?? ["", []];
      const start = process.hrtime.bigint();
      await execa(file, list, { env });
      times[host]?.push(Number(process.hrtime.bigint() - start) / 1e9);
    }
  }
  const recompiled = median(times.recompiled ?? []);
  const emulated = median(times.emulated ?? []);
  process.stdout.write(`simplegfx, 600 frames, median of ${runs}: recompiled ${recompiled.toFixed(2)} s, emulated ${emulated.toFixed(2)} s, ratio ${(emulated / recompiled).toFixed(1)}x\n`);
  process.stdout.write(`all runs: recompiled ${JSON.stringify(times.recompiled)}, emulated ${JSON.stringify(times.emulated)}\n`);
} finally {
  await rm(work, { recursive: true, force: true });
}
