/**
 * scripts/demo: the reference of the demo's MP4 loop (automation.mp4.toml): the native reference
 * capture encoded and decoded again with the same ffmpeg arguments as the loop's capture and extract
 * commands, then hashed by recomp's own hashing (src/media): both sides take the same lossy path.
 */
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { h264EncoderIdentity, writeAudioHashes, writeFrameHashes } from "../../src/media/index.js";
import { mp4CaptureArgs, mp4ExtractAudioArgs, mp4ExtractFramesArgs } from "./mp4-encoding.js";
import { demoVideo, makeDemoReference, listHashes, type DemoReference, type ReferenceTomlVariant } from "./reference.js";

export const mp4ReferenceToml: ReferenceTomlVariant = {
  script: "npx tsx scripts/make-demo-mp4-reference.ts",
  describes: "the native build of samples/demo/src on input_script.toml,\n# encoded to MP4 exactly as automation.mp4.toml's capture command encodes the recompiled run.",
  videoPath: "work-mp4/reference-capture/reference.mp4",
  listsDir: "reference-mp4",
  validation: `[validation]
name = "demo mp4 perceptual"
notes = "The recompiled demo, captured through a lossy MP4, must look like the native build encoded the same way (thresholds: validation_config.mp4.toml)."
require_audio = true
`,
};

/** Native capture into `captureDir`, its MP4 encode `captureDir/reference.mp4` (decoded beside it), hash lists into `listsDir`. */
export async function makeDemoMp4Reference(captureDir: string, listsDir: string): Promise<DemoReference & { mp4: string; encoder: string }> {
  const native = await makeDemoReference(captureDir);
  const mp4 = join(captureDir, "reference.mp4");
  const decodedFrames = join(captureDir, "mp4-frames");
  const decodedAudio = join(captureDir, "mp4-audio.wav");
  await execa("ffmpeg", mp4CaptureArgs(join(captureDir, "frames", "frame_%06d.ppm"), join(captureDir, "audio.wav"), mp4));
  await rm(decodedFrames, { recursive: true, force: true });
  await mkdir(decodedFrames);
  await execa("ffmpeg", mp4ExtractFramesArgs(mp4, join(decodedFrames, "%06d.png")));
  await execa("ffmpeg", mp4ExtractAudioArgs(mp4, decodedAudio));
  const frameList = join(listsDir, "frames.sha256");
  const audioList = join(listsDir, "audio.sha256");
  await writeFrameHashes({ input: decodedFrames, hashList: frameList });
  await writeAudioHashes({ input: decodedAudio, hashList: audioList, profile: { sampleRate: demoVideo.sampleRate, channels: demoVideo.channels } });
  const encoder = await h264EncoderIdentity();
  return { frames: await listHashes(frameList), audio: await listHashes(audioList), schedule: native.schedule, frameList, audioList, mp4, encoder };
}
