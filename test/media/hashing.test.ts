import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  extractAudioFeatures,
  extractFrameFeatures,
  extractPerceptualFeatures,
  ffmpegVersion,
  naturalCompare,
  parseHashList,
  readAudioFeaturesFile,
  readFrameFeaturesFile,
  signatureBytes,
  writeAudioHashes,
  writeFrameHashes,
} from "../../src/media/index.js";
import { RecompError } from "../../src/util/errors.js";
import { sha256Hex } from "../../src/util/hash.js";
import { requireTools } from "../helpers/tools.js";
import { ffmpeg, ffmpegText, makeReference } from "../validate/clips.js";

/** The hash column of ffmpeg's framehash/framemd5 output, stream 0. */
function ffmpegHashes(text: string): string[] {
  return text
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => line.split(",").map((f) => f.trim()))
    .filter((fields) => fields[0] === "0")
    .map((fields) => fields[5] ?? "");
}

describe.runIf(requireTools("ffmpeg", "ffprobe"))("exact hashes of decoded content", () => {
  let dir: string;
  let clip: string;
  let lossy: string;
  let reference: string[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "recomp-hash-"));
    clip = makeReference(dir);
    lossy = join(dir, "lossy.mp4");
    ffmpeg("-i", clip, "-t", "2", "-c:v", "libx264", "-crf", "30", "-c:a", "aac", lossy);
    reference = ffmpegHashes(ffmpegText("-i", clip, "-map", "0:v", "-f", "framehash", "-hash", "sha256", "-pix_fmt", "rgb24", "-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("hashes a video's frames exactly as ffmpeg framehash sha256 rgb24", async () => {
    const features = await extractFrameFeatures(clip);
    expect(reference).toHaveLength(300);
    expect(features.hashes).toEqual(reference);
    expect(features.signatures.length).toBe(300 * signatureBytes);
    expect([features.width, features.height]).toEqual([160, 90]);
  });

  it("computes the same thumbnails with and without the exact-hash pass", async () => {
    const both = await extractFrameFeatures(lossy);
    const perceptual = await extractPerceptualFeatures(lossy);
    expect(Buffer.from(perceptual.signatures).equals(Buffer.from(both.signatures))).toBe(true);
    expect(perceptual.phashes).toEqual(both.phashes);
  });

  it("gives the same hashes and thumbnails whatever the thread count (validation decodes with a share of the cores)", async () => {
    const own = await extractFrameFeatures(lossy);
    const single = await extractFrameFeatures(lossy, { threads: 1 });
    const perceptual = await extractPerceptualFeatures(lossy, { threads: 1 });
    expect(single.hashes).toEqual(own.hashes);
    expect(Buffer.from(single.signatures).equals(Buffer.from(own.signatures))).toBe(true);
    expect(Buffer.from(perceptual.signatures).equals(Buffer.from(own.signatures))).toBe(true);
  });

  it("hashes a lossy (yuv420p H.264) video like ffmpeg, too", async () => {
    const expected = ffmpegHashes(ffmpegText("-i", lossy, "-map", "0:v", "-f", "framehash", "-hash", "sha256", "-pix_fmt", "rgb24", "-"));
    expect(expected).toHaveLength(60);
    expect((await extractFrameFeatures(lossy)).hashes).toEqual(expected);
  });

  it("reads a PNG folder in natural order, ignoring other files", async () => {
    const frames = join(dir, "png");
    mkdirSync(frames);
    // frame1.png .. frame300.png: lexicographic order would put frame10 before frame2.
    ffmpeg("-i", clip, "-start_number", "1", join(frames, "frame%d.png"));
    writeFileSync(join(frames, "notes.txt"), "not a frame");
    writeFileSync(join(frames, "capture.log"), "");
    expect(readdirSync(frames)).toHaveLength(302);
    expect((await extractFrameFeatures(frames)).hashes).toEqual(reference);
  });

  it("reads a PPM folder", async () => {
    const frames = join(dir, "ppm");
    mkdirSync(frames);
    ffmpeg("-i", clip, "-frames:v", "12", join(frames, "%03d.ppm"));
    expect((await extractFrameFeatures(frames)).hashes).toEqual(reference.slice(0, 12));
  });

  it("hashes 1024-sample PCM windows as ffmpeg asetnsamples + framehash does", async () => {
    const wav = join(dir, "audio.wav");
    ffmpeg("-i", clip, "-vn", "-c:a", "pcm_s16le", wav);
    const expected = ffmpegHashes(
      ffmpegText("-i", wav, "-af", "asetnsamples=n=1024:p=0", "-c:a", "pcm_s16le", "-f", "framehash", "-hash", "sha256", "-"),
    );
    const features = await extractAudioFeatures(wav, { sampleRate: 48000, channels: 2 });
    // 480000 samples: 468 full windows and a last one of 768 samples.
    expect(features.samples).toBe(480000);
    expect(expected).toHaveLength(469);
    expect(features.hashes).toEqual(expected);
  });

  it("writes a list and a features file that read back the same", async () => {
    const list = join(dir, "lists", "frames.hashes");
    expect(await writeFrameHashes({ input: clip, hashList: list })).toEqual([list, `${list}.features`]);
    expect(parseHashList(readFileSync(list, "utf8"), list).hashes).toEqual(reference);
    const stored = await readFrameFeaturesFile(`${list}.features`, { file: list, sha256: sha256Hex(readFileSync(list)) });
    const fresh = await extractFrameFeatures(clip);
    expect(stored.phashes).toEqual(fresh.phashes);
    expect(Buffer.from(stored.signatures).equals(Buffer.from(fresh.signatures))).toBe(true);

    const audioList = join(dir, "lists", "audio.hashes");
    await writeAudioHashes({ input: clip, hashList: audioList, profile: { sampleRate: 48000, channels: 2 } });
    const audio = await readAudioFeaturesFile(`${audioList}.features`, { file: audioList, sha256: sha256Hex(readFileSync(audioList)) });
    expect(audio.samples).toBe(480000);
    expect(audio.hops.length).toBe(1875 * 17);
    expect(parseHashList(readFileSync(audioList, "utf8"), audioList).hashes).toHaveLength(469);
  });

  it("records the ffmpeg version as `ffmpeg -version` prints it", async () => {
    const firstLine = execFileSync("ffmpeg", ["-version"], { encoding: "utf8" }).split("\n")[0];
    expect(await ffmpegVersion()).toBe(firstLine);
  });

  it("says which frames input is missing", async () => {
    await expect(extractFrameFeatures(join(dir, "nowhere"))).rejects.toMatchObject({ code: "input_missing" });
    const empty = join(dir, "empty");
    mkdirSync(empty);
    await expect(extractFrameFeatures(empty)).rejects.toMatchObject({ code: "input_missing", message: "the frames folder holds no .png or .ppm files" });
  });
});

describe("hash list dialects", () => {
  const a = "a".repeat(64);
  const b = "b".repeat(64);

  it("reads plain, indexed, sha256sum and framehash/framemd5 forms", () => {
    expect(parseHashList(`# comment\n${a}\n\n${b.toUpperCase()}\n`, "x").hashes).toEqual([a, b]);
    expect(parseHashList(`1 ${b}\n0 ${a}\n`, "x").hashes).toEqual([a, b]);
    expect(parseHashList(`${a}  frame_0001.png\n${b} *frame_0002.png\n`, "x")).toEqual({ dialect: "sha256sum", hashes: [a, b] });
    const framehash = `#format: frame checksums\n#stream#, dts, pts, duration, size, hash\n0, 0, 0, 1, 43200, ${a}\n1, 0, 0, 1024, 4096, ${"c".repeat(64)}\n0, 1, 1, 1, 43200, ${b}\n`;
    expect(parseHashList(framehash, "x")).toEqual({ dialect: "framehash", hashes: [a, b] });
    const md5 = "0123456789abcdef0123456789abcdef";
    expect(parseHashList(`0,          0,          0,        1,    43200, ${md5}\n`, "x").hashes).toEqual([md5]);
  });

  it("names the first bad line", () => {
    let thrown: unknown;
    try {
      parseHashList(`${a}\nnot a hash\n${b}\nstill not\n`, "frames.hashes");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RecompError);
    expect((thrown as RecompError).location).toEqual({ file: "frames.hashes", line: 2 });
    expect((thrown as RecompError).message).toBe('2 line(s) are not a hash, "index hash", sha256sum or framehash line');
  });

  it("sorts names naturally", () => {
    const names = ["f10.png", "f2.png", "f1.png", "f02.png", "a.png", "f1b.png"];
    expect([...names].sort(naturalCompare)).toEqual(["a.png", "f1.png", "f1b.png", "f02.png", "f2.png", "f10.png"]);
  });
});
