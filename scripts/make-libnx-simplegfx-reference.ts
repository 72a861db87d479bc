// Reference of libnx simplegfx (samples/libnx/simplegfx) from its source alone, sharing no code with the runtime:
// switch-examples graphics/simplegfx fills every pixel of its 1280x720 RGBA8888 framebuffer with
// `0x01010101 * cnt * 4`, where cnt steps 1..60 and then wraps to 0, one step per frame, and leaves its loop on
// Plus. The input script presses Plus at frame P (after P presented frames), so the program presents frames
// 0..P-1, frame i in the grey 4 * ((i + 1) mod 61), and never opens an audio output: the capture's sound is
// silence for P frames at 60 Hz.
//
//   npx tsx scripts/make-libnx-simplegfx-reference.ts [--check]
//
// writes samples/libnx/simplegfx/reference/{frames,audio}.sha256 and reference_video.toml; with --check it
// writes nothing and exits 1 when a committed file differs from what it would write.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { libnxReferenceToml } from "./libnx-samples.js";

const width = 1280;
const height = 720;
const fps = 60;
const sampleRate = 48000;
const audioWindow = 1024;

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** The frame at which the input script first presses Plus (the source's exit button). */
export function plusFrame(inputScriptToml: string): number {
  const script = parse(inputScriptToml) as { events?: { frame?: number; control?: string; value?: number }[] };
  const press = (script.events ?? []).find((event) => event.control === "plus" && event.value === 1);
  if (press?.frame === undefined) throw new Error("the input script never presses plus: simplegfx would not end");
  return press.frame;
}

/** The grey simplegfx draws in presented frame `index` (0-based): its `cnt` has been stepped index + 1 times. */
export function greyOfFrame(index: number): number {
  const cnt = (index + 1) % 61;
  return ((0x01010101 * cnt * 4) >>> 0) & 0xff;
}

/** SHA-256 of each frame's packed rgb24 pixels: one grey byte repeated over 1280x720x3. */
export function frameHashes(frames: number): string[] {
  const byGrey = new Map<number, string>();
  return Array.from({ length: frames }, (_, index) => {
    const grey = greyOfFrame(index);
    let hash = byGrey.get(grey);
    if (hash === undefined) byGrey.set(grey, (hash = sha256(new Uint8Array(width * height * 3).fill(grey))));
    return hash;
  });
}

/** SHA-256 of each 1024-sample-frame window of s16le stereo silence lasting `frames` video frames (the last window partial). */
export function silenceHashes(frames: number): string[] {
  const samples = (frames * sampleRate) / fps;
  const hashes: string[] = [];
  for (let at = 0; at < samples; at += audioWindow) hashes.push(sha256(new Uint8Array(Math.min(audioWindow, samples - at) * 4)));
  return hashes;
}

export function referenceFiles(inputScriptToml: string): Map<string, string> {
  const frames = plusFrame(inputScriptToml);
  const samples = (frames * sampleRate) / fps;
  const frameList = [
    "# recomp frame hashes: SHA-256 of each frame's packed rgb24 pixels",
    "# same as: ffmpeg -i INPUT -f framehash -hash sha256 -pix_fmt rgb24 -",
    `# frames ${frames}, size ${width}x${height}`,
    ...frameHashes(frames),
  ];
  const audioList = [
    "# recomp audio hashes: SHA-256 of each 1024-sample-frame window of s16le interleaved PCM",
    `# same as: ffmpeg -i INPUT -ar ${sampleRate} -ac 2 -af asetnsamples=n=${audioWindow}:p=0 -c:a pcm_s16le -f framehash -hash sha256 - (input already at that rate)`,
    `# sample_rate ${sampleRate}, channels 2, samples ${samples}`,
    ...silenceHashes(frames),
  ];
  const toml = libnxReferenceToml({
    header: `Reference of libnx simplegfx, computed from its source's formula (0x01010101 * cnt * 4, cnt 1..60 then 0)
and the input script's Plus press (frame ${frames}) by scripts/make-libnx-simplegfx-reference.ts, which
shares no code with the runtime. Do not edit by hand; run the script again.`,
    name: "simplegfx",
    frames,
    notes: "Every pixel of every frame is the grey its source computes; the program never opens an audio output (silence).",
  });
  return new Map([
    ["reference/frames.sha256", `${frameList.join("\n")}\n`],
    ["reference/audio.sha256", `${audioList.join("\n")}\n`],
    ["reference_video.toml", toml],
  ]);
}

function main(): void {
  const sample = join(import.meta.dirname, "..", "samples", "libnx", "simplegfx");
  const files = referenceFiles(readFileSync(join(sample, "input_script.toml"), "utf8"));
  const check = process.argv.includes("--check");
  let differs = false;
  for (const [name, text] of files) {
    const path = join(sample, name);
    if (check) {
      let old = "";
      try {
        old = readFileSync(path, "utf8");
      } catch {
        // A missing file differs.
      }
      if (old !== text) {
        console.error(`${path}: differs from the formula's reference`);
        differs = true;
      }
    } else {
      mkdirSync(join(sample, "reference"), { recursive: true });
      writeFileSync(path, text);
    }
  }
  if (differs) process.exitCode = 1;
}

if (process.argv[1] === import.meta.filename) main();
