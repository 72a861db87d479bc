// scripts/demo: where the demo's sources and committed artifacts live in the repository.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const demoDir = join(repoRoot, "samples", "demo");
export const demoSourceDir = join(demoDir, "src");
export const servicesDir = join(repoRoot, "runtime", "services");

export const demoPaths = {
  nro: join(demoDir, "demo.nro"),
  inputScript: join(demoDir, "input_script.toml"),
  referenceVideo: join(demoDir, "reference_video.toml"),
  frameHashes: join(demoDir, "reference", "frames.sha256"),
  audioHashes: join(demoDir, "reference", "audio.sha256"),
  /** The kept native capture (git-ignored work folder): what reference_video.toml's video.path names. */
  referenceCapture: join(demoDir, "work", "reference-capture"),
  /** The MP4 variant (automation.mp4.toml): the reference encoded like the capture, hashed after decoding. */
  referenceVideoMp4: join(demoDir, "reference_video.mp4.toml"),
  mp4FrameHashes: join(demoDir, "reference-mp4", "frames.sha256"),
  mp4AudioHashes: join(demoDir, "reference-mp4", "audio.sha256"),
  mp4ReferenceCapture: join(demoDir, "work-mp4", "reference-capture"),
};
