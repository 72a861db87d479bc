// Benchmark (run by hand): perceptual validation of two 150 s 1280x720 30 fps encodes of one clip against
// ffmpeg's SSIM pass over the same pair, a re-validation from stored features, and exact frame hashing
// against `ffmpeg -f framehash -hash sha256`. The SSIM pass and the perceptual validation alternate
// `runs` times and their medians are compared, because the shared machine's load changes by the
// minute. Usage: npx tsx bench/validate-perceptual.ts [seconds] [runs]
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { ffmpegVersion, writeAudioHashes, writeFrameHashes } from "../src/media/index.js";
import { validateRun } from "../src/validate/index.js";
import { timed } from "./cpu-time.js";
import { median } from "./median.js";
import { encodeClip, ffmpeg, sideToml } from "./perceptual-pair.js";

const seconds = Number(process.argv[2] ?? 150);
const runs = Number(process.argv[3] ?? 3);
const dir = mkdtempSync(join(tmpdir(), "recomp-bench-"));

const encode = (file: string, crf: number) => encodeClip(file, seconds, crf);
const toml = (name: string, file: string, format: "file" | "list", timeline: boolean) => sideToml(dir, name, file, format, timeline ? seconds : undefined);

try {
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${await ffmpegVersion()}`);
  const a = join(dir, "a.mp4");
  const b = join(dir, "b.mp4");
  await timed(`generate two ${seconds} s 1280x720 clips (not measured against anything)`, () => { encode(a, 18); encode(b, 28); });

  const config = join(dir, "validation_config.toml");
  writeFileSync(config, '[comparison]\nmode = "perceptual"\n');
  const ssimRuns = [];
  const fullRuns = [];
  for (let run = 0; run < runs; run += 1) {
    ssimRuns.push(await timed("ffmpeg -i a -i b -lavfi ssim -f null -", () => ffmpeg("-i", a, "-i", b, "-lavfi", "ssim", "-f", "null", "-")));
    const full = await timed("recomp validate, perceptual, both sides decoded (frame + audio features) and compared", () =>
      validateRun({ referenceVideoToml: toml("reference", a, "file", true), captureVideoToml: toml("capture", b, "file", false), validationConfigToml: config, outDir: join(dir, "out") }),
    );
    if (run === 0) console.log(full.value.summary);
    fullRuns.push(full);
  }
  const ssim = { seconds: median(ssimRuns.map((r) => r.seconds)), totalCpu: median(ssimRuns.map((r) => r.totalCpu)) };
  const full = { seconds: median(fullRuns.map((r) => r.seconds)), totalCpu: median(fullRuns.map((r) => r.totalCpu)) };

  const framehash = await timed("ffmpeg -i a -f framehash -hash sha256 -pix_fmt rgb24 -", () =>
    ffmpeg("-i", a, "-map", "0:v", "-f", "framehash", "-hash", "sha256", "-pix_fmt", "rgb24", join(dir, "a.framehash")),
  );
  const hashA = await timed("recomp hash-frames a (exact hashes + features, list written)", () => writeFrameHashes({ input: a, hashList: join(dir, "reference.frames") }));
  const same = readFileSync(join(dir, "a.framehash"), "utf8").split("\n").filter((l) => /^0,/.test(l)).map((l) => l.split(",")[5]?.trim());
  const ours = readFileSync(hashA.value[0], "utf8").split("\n").filter((l) => /^[0-9a-f]{64}$/.test(l));
  console.log(`hash lists equal: ${JSON.stringify(same) === JSON.stringify(ours)} (${ours.length} frames)`);
  await timed("(setup) hash-frames b, hash-audio a and b", async () => {
    await writeFrameHashes({ input: b, hashList: join(dir, "capture.frames") });
    await writeAudioHashes({ input: a, hashList: join(dir, "reference.audio"), profile: { sampleRate: 48000, channels: 2 } });
    await writeAudioHashes({ input: b, hashList: join(dir, "capture.audio"), profile: { sampleRate: 48000, channels: 2 } });
  });

  const size = (file: string) => `${(statSync(join(dir, file)).size / 1e6).toFixed(1)} MB`;
  console.log(`features files: frames ${size("reference.frames.features")} per side, audio ${size("reference.audio.features")} per side`);
  writeFileSync(config, '[comparison]\nmode = "perceptual"\n[thresholds]\nframe_similarity_min = 0.85\nframe_match_ratio = 0.95\n');
  const againRuns = [];
  for (let run = 0; run < runs; run += 1) {
    againRuns.push(
      await timed("recomp validate from stored lists + features (thresholds changed)", () =>
        validateRun({ referenceVideoToml: toml("reference", a, "list", true), captureVideoToml: toml("capture", b, "list", false), validationConfigToml: config, outDir: join(dir, "out2") }),
      ),
    );
  }
  console.log(againRuns[0]?.value.summary);
  const againSeconds = againRuns.map((r) => r.seconds);

  console.log("\n| measurement | seconds | ratio |\n|---|---|---|");
  console.log(`| ffmpeg SSIM pass over the pair (median of ${runs}; CPU ${ssim.totalCpu.toFixed(2)} s) | ${ssim.seconds.toFixed(2)} | 1.00 |`);
  console.log(
    `| recomp perceptual validation, features of both + compare (median of ${runs}; CPU ${full.totalCpu.toFixed(2)} s, ratio ${(full.totalCpu / ssim.totalCpu).toFixed(2)}) | ${full.seconds.toFixed(2)} | ${(full.seconds / ssim.seconds).toFixed(2)} |`,
  );
  console.log(`| recomp re-validation from stored features (median of ${runs}, slowest ${Math.max(...againSeconds).toFixed(2)}) | ${median(againSeconds).toFixed(2)} | |`);
  console.log(`| ffmpeg framehash sha256 rgb24 of one clip | ${framehash.seconds.toFixed(2)} | 1.00 |`);
  console.log(`| recomp hash-frames of one clip (exact + features) | ${hashA.seconds.toFixed(2)} | ${(hashA.seconds / framehash.seconds).toFixed(2)} |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
