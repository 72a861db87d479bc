// cli: `recomp hash-frames`: SHA-256 of each frame's rgb24 pixels (as ffmpeg framehash prints) plus perceptual features.
import type { Command } from "commander";
import { writeFrameHashes } from "../media/index.js";
import { hashCaptureFrames } from "../validate/index.js";
import { hashListsResultSchema } from "../config/cli-results.js";
import { jsonOption, printResult } from "./json-output.js";
import { hashOutputTarget } from "./hash-output.js";

export function registerHashFramesCommand(program: Command): void {
  jsonOption(program.command("hash-frames"))
    .description("hash every frame of a PNG/PPM folder (natural order) or a video; writes a hash list and LIST.features")
    .argument("<input>", "frames folder or video file")
    .option("--out <list>", "hash list to write")
    .option("--capture <file>", "capture_video.toml: write to its [hashes.frames] path instead")
    .option("--ffmpeg <path>", "ffmpeg binary (ffprobe is taken from the same folder)")
    .action(async (input: string, flags: { out?: string; capture?: string; ffmpeg?: string; json?: boolean }) => {
      const target = hashOutputTarget(flags);
      const written =
        target.kind === "capture"
          ? await hashCaptureFrames({ captureVideoToml: target.file, input, ffmpegPath: flags.ffmpeg })
          : await writeFrameHashes({ input, hashList: target.file, ffmpegPath: flags.ffmpeg });
      printResult(flags.json, hashListsResultSchema, { written }, `${written.join("\n")}\n`);
    });
}
