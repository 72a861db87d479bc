// Benchmark (run by hand, after `npm run build`): re-validation of the 1280x720 30 fps pair of
// bench/validate-perceptual.ts from its stored hash lists and features, through the CLI (a fresh
// `node bin/recomp.js validate` each run: start-up, reading both features files, the comparison, the
// ffprobe media check of both clips, the reports), and the first failing frame pair's full-size PNGs
// of a late frame: found by seeking (what `validate` does) against decoding from the start.
// Usage: npx tsx bench/revalidation.ts [seconds] [runs] [dir]; with `dir`, the clips, lists and features
// are kept there and reused by the next run (delete the lists after a features format change).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { colourBytes, readFrameFeaturesFile, writeAudioHashes, writeFrameHashes } from "../src/media/index.js";
import { sha256Hex } from "../src/util/hash.js";
import { writeFullFrames } from "../src/validate/full-frames.js";
import { timed } from "./cpu-time.js";
import { median } from "./median.js";
import { encodeClip, ffmpeg, sideToml } from "./perceptual-pair.js";

const seconds = Number(process.argv[2] ?? 150);
const runs = Number(process.argv[3] ?? 5);
const kept = process.argv[4];
const dir = kept ?? mkdtempSync(join(tmpdir(), "recomp-bench-"));
const cli = join(import.meta.dirname, "..", "bin", "recomp.js");
const load = () => loadavg().map((l) => l.toFixed(1)).join(" ");

async function prepare(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const [name, crf] of [["a", 18], ["b", 28]] as const) {
    const clip = join(dir, `${name}.mp4`);
    if (!existsSync(clip)) await timed(`encode ${name}.mp4 (setup)`, () => encodeClip(clip, seconds, crf));
  }
  for (const [side, clip] of [["reference", "a.mp4"], ["capture", "b.mp4"]] as const) {
    if (existsSync(join(dir, `${side}.audio.features`))) continue;
    await timed(`hash-frames and hash-audio ${clip} (setup)`, async () => {
      await writeFrameHashes({ input: join(dir, clip), hashList: join(dir, `${side}.frames`) });
      await writeAudioHashes({ input: join(dir, clip), hashList: join(dir, `${side}.audio`), profile: { sampleRate: 48000, channels: 2 } });
    });
  }
}

try {
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), Node ${process.version}, load ${load()}`);
  await prepare();
  const config = join(dir, "validation_config.toml");
  writeFileSync(config, '[comparison]\nmode = "perceptual"\n[thresholds]\nframe_similarity_min = 0.85\nframe_match_ratio = 0.95\n');
  const reference = sideToml(dir, "reference", join(dir, "a.mp4"), "list", seconds);
  const capture = sideToml(dir, "capture", join(dir, "b.mp4"), "list", undefined);
  const args = [cli, "validate", "--reference", reference, "--capture", capture, "--validation-config", config, "--out-dir", join(dir, "out")];
  const cliRuns = [];
  for (let run = 0; run < runs; run += 1) {
    const result = await timed(`recomp validate from lists + features (CLI, load ${load()})`, () => spawnSync(process.execPath, args, { encoding: "utf8" }));
    if (result.value.status !== 0 && result.value.status !== 1) throw new Error(`recomp validate exited ${result.value.status}: ${result.value.stderr}`);
    cliRuns.push(result);
  }
  const probe = await timed("ffprobe of a.mp4, as the media check runs it", () =>
    spawnSync("ffprobe", ["-v", "error", "-of", "json", "-show_program_version", "-show_format", "-show_streams", join(dir, "a.mp4")]),
  );

  // The first failing pair's PNGs, for a frame near the end of the clips.
  const frame = Math.max(0, seconds * 30 - 500);
  const pick = async (side: string, clip: string) => {
    const list = join(dir, `${side}.frames`);
    const features = await readFrameFeaturesFile(`${list}.features`, { file: list, sha256: sha256Hex(readFileSync(list)) });
    return { input: join(dir, clip), frame, fps: 30, thumb: features.colour.subarray(frame * colourBytes, (frame + 1) * colourBytes) };
  };
  const [refPick, capPick] = [await pick("reference", "a.mp4"), await pick("capture", "b.mp4")];
  const out = join(dir, "frames");
  mkdirSync(out, { recursive: true });
  const seeked = await timed(`first-failure PNGs of frame ${frame} by seeking (writeFullFrames: 2 frames + difference)`, () => writeFullFrames(out, refPick, capPick, {}));
  const selected = await timed(`the same 2 frames decoded from the start (select=eq(n), as before)`, () => {
    for (const [clip, name] of [["a.mp4", "reference"], ["b.mp4", "capture"]]) {
      ffmpeg("-i", join(dir, clip), "-vf", `select=eq(n\\,${frame})`, "-fps_mode", "passthrough", "-frames:v", "1", "-pix_fmt", "rgb24", "-bitexact", join(out, `selected-${name}.png`));
    }
  });
  const same = ["reference", "capture"].every((name) => readFileSync(join(out, `selected-${name}.png`)).equals(readFileSync(join(out, `validation-first-failure-${name}.png`))));
  console.log(`seeked PNGs equal the decoded-from-start ones: ${same}`);

  const walls = cliRuns.map((r) => r.seconds);
  console.log("\n| measurement | wall | CPU (all processes) |\n|---|---|---|");
  console.log(`| re-validation through the CLI, median of ${runs} (runs ${walls.map((w) => w.toFixed(2)).join(", ")}) | ${median(walls).toFixed(2)} s | ${median(cliRuns.map((r) => r.totalCpu)).toFixed(2)} s |`);
  console.log(`| one ffprobe of the media check | ${probe.seconds.toFixed(2)} s | ${probe.totalCpu.toFixed(2)} s |`);
  console.log(`| first-failure PNGs of frame ${frame}, seeking | ${seeked.seconds.toFixed(2)} s | ${seeked.totalCpu.toFixed(2)} s |`);
  console.log(`| the same 2 frames decoded from the start | ${selected.seconds.toFixed(2)} s | ${selected.totalCpu.toFixed(2)} s |`);
} finally {
  if (kept === undefined) rmSync(dir, { recursive: true, force: true });
}
