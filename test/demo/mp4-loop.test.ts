// The demo's MP4 loop (samples/demo/automation.mp4.toml): its ffmpeg commands are the ones
// scripts/demo/mp4-encoding.ts defines, and its committed reference is what
// scripts/make-demo-mp4-reference.ts makes today (byte for byte where the encoder is the one it
// recorded, perceptually elsewhere). (samples.test.ts runs the loop itself.)
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "smol-toml";
import { afterAll, describe, expect, it } from "vitest";
import { demoDir, demoPaths } from "../../scripts/demo/paths.js";
import { mp4CaptureArgs, mp4ExtractAudioArgs, mp4ExtractFramesArgs } from "../../scripts/demo/mp4-encoding.js";
import { makeDemoMp4Reference, mp4ReferenceToml } from "../../scripts/demo/mp4-reference.js";
import { referenceVideoToml } from "../../scripts/demo/reference.js";
import { loadTomlFile, referenceVideoSchema } from "../../src/config/index.js";
import { validateRun } from "../../src/validate/index.js";
import { requireTools } from "../helpers/tools.js";

describe("samples/demo/automation.mp4.toml", () => {
  it("runs exactly the ffmpeg commands of scripts/demo/mp4-encoding.ts", async () => {
    const config = parse(await readFile(join(demoDir, "automation.mp4.toml"), "utf8")) as { commands: Record<string, string[]> };
    const capture = "work-mp4/capture/capture.mp4";
    expect(config.commands.capture).toEqual(["ffmpeg", ...mp4CaptureArgs("work-mp4/run/frames/frame_%06d.ppm", "work-mp4/run/audio.wav", capture)]);
    expect(config.commands.extract_frames).toEqual(["ffmpeg", ...mp4ExtractFramesArgs(capture, "work-mp4/capture/frames/%06d.png")]);
    expect(config.commands.extract_audio).toEqual(["ffmpeg", ...mp4ExtractAudioArgs(capture, "work-mp4/capture/audio.wav")]);
  });
});

describe.runIf(requireTools("cc", "ffmpeg"))("the demo's MP4 reference", () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  // libx264's bytes depend on the CPU features it picks: byte for byte only under the recorded
  // encoder identity; on any other machine the fresh encode must pass the loop's own perceptual check.
  it("a fresh encode of the native run equals the committed lists under the recorded encoder, and passes validation_config.mp4.toml anywhere", async () => {
    dir = await mkdtemp(join(tmpdir(), "recomp-demo-mp4-ref-"));
    const fresh = await makeDemoMp4Reference(join(dir, "capture"), join(dir, "lists"));
    expect(fresh.frames).toHaveLength(192);
    expect(fresh.audio).toHaveLength(300);
    const { data: committed } = await loadTomlFile(demoPaths.referenceVideoMp4, referenceVideoSchema, "reference video TOML");
    expect(committed.video.encoder, "reference_video.mp4.toml records its encoder").toMatch(/^ffmpeg version .+; x264 core \d+ r\d+ [0-9a-f]+; cpu .+$/);
    const recorded = committed.video.encoder ?? "";
    expect(await readFile(demoPaths.referenceVideoMp4, "utf8")).toBe(referenceVideoToml({ ...fresh, encoder: recorded }, mp4ReferenceToml));
    if (fresh.encoder === recorded) {
      for (const [reference, made] of [
        [demoPaths.mp4FrameHashes, fresh.frameList],
        [demoPaths.mp4AudioHashes, fresh.audioList],
        [`${demoPaths.mp4FrameHashes}.features`, `${fresh.frameList}.features`],
        [`${demoPaths.mp4AudioHashes}.features`, `${fresh.audioList}.features`],
      ] as const) {
        expect(Buffer.compare(await readFile(reference), await readFile(made)), reference).toBe(0);
      }
    }
    const captureToml = join(dir, "capture_video.toml");
    await writeFile(captureToml, captureVideoTomlFor(fresh.frameList, fresh.audioList));
    const result = await validateRun({
      referenceVideoToml: demoPaths.referenceVideoMp4,
      captureVideoToml: captureToml,
      validationConfigToml: join(demoDir, "validation_config.mp4.toml"),
      outDir: join(dir, "validation"),
    });
    expect(result.passed, result.summary).toBe(true);
  });
});

function captureVideoTomlFor(frameList: string, audioList: string): string {
  return `schema_version = "1"

[video]
path = "capture/reference.mp4"
width = 160
height = 90
fps = 30

[hashes.frames]
format = "list"
path = ${JSON.stringify(frameList)}

[hashes.audio]
format = "list"
path = ${JSON.stringify(audioList)}
`;
}
