// The demo's MP4 loop (samples/demo/automation.mp4.toml): its ffmpeg commands are the ones
// scripts/demo/mp4-encoding.ts defines, and its committed reference is what
// scripts/make-demo-mp4-reference.ts makes today. (samples.test.ts runs the loop itself.)
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "smol-toml";
import { afterAll, describe, expect, it } from "vitest";
import { demoDir, demoPaths } from "../../scripts/demo/paths.js";
import { mp4CaptureArgs, mp4ExtractAudioArgs, mp4ExtractFramesArgs } from "../../scripts/demo/mp4-encoding.js";
import { makeDemoMp4Reference, mp4ReferenceToml } from "../../scripts/demo/mp4-reference.js";
import { referenceVideoToml } from "../../scripts/demo/reference.js";
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

  it("committed hash lists and reference_video.mp4.toml equal a fresh encode of the native run", async () => {
    dir = await mkdtemp(join(tmpdir(), "recomp-demo-mp4-ref-"));
    const fresh = await makeDemoMp4Reference(join(dir, "capture"), join(dir, "lists"));
    expect(fresh.frames).toHaveLength(192);
    expect(fresh.audio).toHaveLength(300);
    for (const [committed, made] of [
      [demoPaths.mp4FrameHashes, fresh.frameList],
      [demoPaths.mp4AudioHashes, fresh.audioList],
      [`${demoPaths.mp4FrameHashes}.features`, `${fresh.frameList}.features`],
      [`${demoPaths.mp4AudioHashes}.features`, `${fresh.audioList}.features`],
    ] as const) {
      expect(Buffer.compare(await readFile(committed), await readFile(made)), committed).toBe(0);
    }
    expect(await readFile(demoPaths.referenceVideoMp4, "utf8")).toBe(referenceVideoToml(fresh, mp4ReferenceToml));
  });
});
