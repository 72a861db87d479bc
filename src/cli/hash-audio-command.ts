// cli: `recomp hash-audio`: SHA-256 of 1024-sample windows of s16le PCM plus loudness/spectrum features.
import type { Command } from "commander";
import { writeAudioHashes } from "../media/index.js";
import { hashCaptureAudio } from "../validate/index.js";
import { hashListsResultSchema } from "../config/cli-results.js";
import { jsonOption, printResult } from "./json-output.js";
import { hashOutputTarget, positiveInteger } from "./hash-output.js";

export function registerHashAudioCommand(program: Command): void {
  jsonOption(program.command("hash-audio"))
    .description("hash 1024-sample windows of any audio ffmpeg decodes (resampled to the profile); writes a hash list and LIST.features")
    .argument("<input>", "WAV or any audio/video file")
    .option("--out <list>", "hash list to write")
    .option("--capture <file>", "capture_video.toml: write to its [hashes.audio] path, at its [audio] profile")
    .option("--reference <file>", "with --capture: reference_video.toml whose profile applies when the capture declares none")
    .option("--rate <hz>", "sample rate to decode at (with --out)", positiveInteger, 48000)
    .option("--channels <n>", "channel count to decode at (with --out)", positiveInteger, 2)
    .option("--ffmpeg <path>", "ffmpeg binary")
    .action(async (input: string, flags: { out?: string; capture?: string; reference?: string; rate: number; channels: number; ffmpeg?: string; json?: boolean }) => {
      const target = hashOutputTarget(flags);
      const written =
        target.kind === "capture"
          ? await hashCaptureAudio({ captureVideoToml: target.file, referenceVideoToml: flags.reference, input, ffmpegPath: flags.ffmpeg })
          : await writeAudioHashes({ input, hashList: target.file, profile: { sampleRate: flags.rate, channels: flags.channels }, ffmpegPath: flags.ffmpeg });
      printResult(flags.json, hashListsResultSchema, { written }, `${written.join("\n")}\n`);
    });
}
