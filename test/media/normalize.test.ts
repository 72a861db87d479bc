import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { normalizeMedia, probeMedia } from "../../src/media/index.js";
import { sha256File } from "../../src/util/hash.js";
import { requireTools } from "../helpers/tools.js";
import { ffmpeg } from "../validate/clips.js";

describe.runIf(requireTools("ffmpeg", "ffprobe"))("recomp normalize", () => {
  let dir: string;
  let source: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "recomp-normalize-"));
    source = join(dir, "recording.mp4");
    // A 4:3 recording at 25 fps with mono 44.1 kHz audio: every property differs from the profile.
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=200x150:r=25:d=4", "-f", "lavfi", "-i", "sine=f=440:r=44100:d=4", "-c:v", "libx264", "-c:a", "aac", "-shortest", source);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("produces the canonical profile, deterministically, and records ffmpeg's version and command", async () => {
    const profile = { width: 160, height: 90, fps: 30, audioSampleRate: 48000, audioChannels: 2 };
    const first = await normalizeMedia({ input: source, output: join(dir, "a.mkv"), profile, start: 1, end: 3 });
    const second = await normalizeMedia({ input: source, output: join(dir, "b.mkv"), profile, start: 1, end: 3 });
    expect((await sha256File(first.output)).sha256).toBe((await sha256File(second.output)).sha256);

    const info = await probeMedia(first.output);
    expect(info.video).toEqual({ width: 160, height: 90, frameRate: { num: 30, den: 1 }, pixelFormat: "yuv420p", codec: "ffv1" });
    expect(info.audio).toEqual({ sampleRate: 48000, channels: 2, codec: "pcm_s16le" });
    expect(info.durationSeconds).toBeCloseTo(2, 1);

    const record = JSON.parse(readFileSync(first.record, "utf8")) as { ffmpeg_version: string; command: string[] };
    expect(record.ffmpeg_version).toBe(execFileSync("ffmpeg", ["-version"], { encoding: "utf8" }).split("\n")[0]);
    expect(record.command).toContain("-filter_complex");
    expect(record.command.join(" ")).toContain("scale=160:90:force_original_aspect_ratio=decrease:flags=bicubic,pad=160:90:(ow-iw)/2:(oh-ih)/2:color=black");
  });

  it("reads the profile and trim from reference_video.toml", async () => {
    const toml = join(dir, "reference_video.toml");
    writeFileSync(toml, [
      "[video]", 'path = "normalized.mkv"', "width = 96", "height = 54", "fps = 24",
      "[normalization]", 'source_path = "recording.mp4"', 'normalized_path = "normalized.mkv"',
      "[normalization.profile]", "width = 96", "height = 54", "fps = 24", "audio_sample_rate = 22050", "audio_channels = 1",
      "[timeline]", 'start = "00:00:00.500"', 'end = "00:02"',
      "[hashes.frames]", 'format = "file"', 'path = "normalized.mkv"', "",
    ].join("\n"));
    const stdout = process.stdout.write.bind(process.stdout);
    process.stdout.write = () => true;
    try {
      expect(await main(["node", "recomp", "normalize", "--reference", toml])).toBe(0);
    } finally {
      process.stdout.write = stdout;
    }
    const info = await probeMedia(join(dir, "normalized.mkv"));
    expect([info.video?.width, info.video?.height, info.video?.frameRate, info.audio?.sampleRate, info.audio?.channels]).toEqual([96, 54, { num: 24, den: 1 }, 22050, 1]);
    expect(info.durationSeconds).toBeCloseTo(1.5, 1);
  });
});
