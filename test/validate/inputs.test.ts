import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { captureVideoSchema, parseTomlFile, referenceVideoSchema, validationConfigSchema } from "../../src/config/index.js";
import { main } from "../../src/cli/main.js";
import { checkValidationSet, hashCaptureAudio, hashCaptureFrames } from "../../src/validate/index.js";
import { formatError } from "../../src/util/errors.js";
import { requireTools } from "../helpers/tools.js";
import { ffmpeg, makeReference, writeVideoToml } from "./clips.js";

const video = `[video]\npath = "footage.mp4"\nwidth = 160\nheight = 90\nfps = 30\n`;

function set(reference: string, capture: string, config?: string) {
  return {
    reference: parseTomlFile(reference, "ref/reference_video.toml", referenceVideoSchema),
    capture: parseTomlFile(capture, "cap/capture_video.toml", captureVideoSchema),
    config: config === undefined ? undefined : parseTomlFile(config, "validation_config.toml", validationConfigSchema),
  };
}

describe("cross-file checks before anything runs", () => {
  const reference = `${video}[timeline]\nstart = 1\nend = 9\n[[timeline.events]]\nname = "late"\ntime = 12\n[hashes.frames]\nformat = "list"\npath = "frames.hashes"\n`;
  const capture = `${video}[audio]\nsample_rate = 44100\nchannels = 2\n[hashes.frames]\nformat = "directory"\npath = "frames"\n[hashes.audio]\nformat = "list"\npath = "audio.hashes"\n`;

  it("collects every problem with its file and key", () => {
    const errors = checkValidationSet(set(reference, capture, "require_audio = true\n[comparison]\nmode = \"perceptual\"\n"), {
      captureHashesPending: true,
      fileExists: (path) => path.endsWith("frames.hashes"),
    }).map(formatError);
    expect(errors).toEqual([
      "error[input_missing]: ref/reference_video.toml: hashes.frames.path: frames.hashes has no features file beside it (frames.hashes.features) (perceptual mode needs it: write the list with `recomp hash-frames`, or point format = \"file\" at the media)",
      'error[config_invalid]: cap/capture_video.toml: hashes.frames.format: the hash_frames stage writes a list, but the capture declares format "directory" (set format = "list")',
      "error[config_invalid]: ref/reference_video.toml: hashes.audio: require_audio is true but this file has no [hashes.audio] (add [hashes.audio] format and path, or set require_audio = false)",
      'error[config_invalid]: ref/reference_video.toml: timeline.events[0].time: event "late" at 12 s lies outside the timeline [1, 9] s (move the event or widen [timeline])',
    ]);
  });

  it("accepts a consistent set, and checks present files when the capture is already hashed", () => {
    const refWithAudio = `${reference.replace("time = 12", "time = 5")}[hashes.audio]\nformat = "list"\npath = "audio.hashes"\n`;
    const cap = capture.replace('format = "directory"\npath = "frames"', 'format = "list"\npath = "frames.hashes"').replace("44100", "48000");
    expect(checkValidationSet(set(refWithAudio, cap), { captureHashesPending: true, fileExists: () => true })).toEqual([]);
    const missing = checkValidationSet(set(refWithAudio, cap), { fileExists: (path) => !path.startsWith("cap") && !path.includes("/cap/") }).map(formatError);
    expect(missing).toEqual([
      "error[input_missing]: cap/capture_video.toml: hashes.frames.path: frames.hashes does not exist (relative paths resolve against the folder of this file)",
      "error[input_missing]: cap/capture_video.toml: hashes.audio.path: audio.hashes does not exist (relative paths resolve against the folder of this file)",
    ]);
  });

  it("rejects ratios outside [0, 1] and negative drifts in the schema, naming the key", () => {
    expect(() => parseTomlFile("[thresholds]\nframe_match_ratio = 1.5\nevent_drift_max_seconds = -1\n", "v.toml", validationConfigSchema)).toThrow(
      /v\.toml:2: thresholds\.frame_match_ratio: must lie in \[0, 1\][\s\S]*v\.toml:3: thresholds\.event_drift_max_seconds: must be >= 0/,
    );
  });
});

describe.runIf(requireTools("ffmpeg", "ffprobe"))("hash stages and the validate command", () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "recomp-cli-"));
    makeReference(dir, "reference.mkv");
    mkdirSync(join(dir, "frames"));
    ffmpeg("-i", join(dir, "reference.mkv"), join(dir, "frames", "%d.png"));
    writeVideoToml(join(dir, "reference_video.toml"), { file: "reference.mkv", frames: "reference.mkv", audio: "reference.mkv", format: "file" });
    writeVideoToml(join(dir, "capture_video.toml"), { file: "reference.mkv", frames: "out/capture.frames", audio: "out/capture.audio" });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("hash_frames and hash_audio write the lists the capture TOML names", async () => {
    const capture = join(dir, "capture_video.toml");
    expect(await hashCaptureFrames({ captureVideoToml: capture, input: join(dir, "frames") })).toEqual([join(dir, "out/capture.frames"), join(dir, "out/capture.frames.features")]);
    expect(await hashCaptureAudio({ captureVideoToml: capture, input: join(dir, "reference.mkv"), referenceVideoToml: join(dir, "reference_video.toml") })).toEqual([
      join(dir, "out/capture.audio"),
      join(dir, "out/capture.audio.features"),
    ]);
  });

  it("exits 0 on pass, 1 on fail and 2 on bad input with nothing written", async () => {
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const args = (out: string, extra: string[] = []) => ["node", "recomp", "validate", "--reference", join(dir, "reference_video.toml"), "--capture", join(dir, "capture_video.toml"), "--out-dir", join(dir, out), ...extra];
    expect(await main(args("pass"))).toBe(0);
    expect(readdirSync(join(dir, "pass")).sort()).toEqual(["validation-report.html", "validation-report.json", "validation-report.txt"]);

    writeFileSync(join(dir, "strict.toml"), "[thresholds]\nmax_audio_dropout_ms = 0\nframe_match_ratio = 1\n[comparison]\nmode = \"exact\"\n");
    // A capture list missing its last 30 frames fails the ratio.
    const lines = readFileSync(join(dir, "out/capture.frames"), "utf8").split("\n");
    writeFileSync(join(dir, "out/short.frames"), lines.slice(0, lines.length - 31).join("\n"));
    writeVideoToml(join(dir, "short_video.toml"), { file: "reference.mkv", frames: "out/short.frames" });
    const failArgs = ["node", "recomp", "validate", "--reference", join(dir, "reference_video.toml"), "--capture", join(dir, "short_video.toml"), "--validation-config", join(dir, "strict.toml"), "--out-dir", join(dir, "fail"), "--junit", join(dir, "fail", "junit.xml")];
    process.exitCode = undefined;
    expect(await main(failArgs)).toBe(1);
    process.exitCode = undefined;
    expect(existsSync(join(dir, "fail", "junit.xml"))).toBe(true);

    writeFileSync(join(dir, "bad.toml"), "[thresholds]\nframe_match_ratio = 2\nmax_dropt_frames = 1\n");
    expect(await main([...args("bad"), "--validation-config", join(dir, "bad.toml")])).toBe(2);
    expect(existsSync(join(dir, "bad"))).toBe(false);
    expect(stdout.mock.calls.map((call) => String(call[0])).join("")).toContain('validation "validation": FAIL');
    expect(stderr.mock.calls.map((call) => String(call[0])).join("")).toContain("thresholds.max_dropt_frames: unknown key");
    stdout.mockRestore();
    stderr.mockRestore();
  });
});
