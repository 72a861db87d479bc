// media: one ffmpeg pass over a frames folder or video gives exact rgb24 hashes, perceptual signatures and colour thumbnails.
import { RecompError } from "../util/errors.js";
import { ffmpegBinary, quietArgs, threadArgs, type FfmpegOptions } from "./ffmpeg-tool.js";
import { colourBytes, colourThumbChain } from "./colour-thumb.js";
import { openFrameInput } from "./frame-input.js";
import { perceptualHash, signatureBytes, signatureHeight, signatureWidth } from "./luma-signature.js";
import { probeMedia } from "./probe.js";
import { ByteCollector, RecordHasher, runRawPipes } from "./raw-pipe.js";

export interface FrameFeatures {
  /** Size of the decoded frames. */
  width: number;
  height: number;
  /** SHA-256 of each frame's packed rgb24 pixels, in decode order. */
  hashes: string[];
  /** 64x36 luma thumbnails, frame after frame (signatureBytes each). */
  signatures: Uint8Array;
  /** 64x36 rgb24 colour thumbnails (colourBytes each): local and colour differences. */
  colour: Uint8Array;
  /** 64-bit perceptual hash of each thumbnail. */
  phashes: bigint[];
}

/**
 * Decodes every frame once (no frame-rate conversion: `-fps_mode passthrough`). ffmpeg converts to
 * rgb24 exactly as `-f framehash -pix_fmt rgb24` does and scales the thumbnail (area filter, luma only);
 * this process only hashes bytes and reads 2304-byte thumbnails.
 */
export async function extractFrameFeatures(input: string, options: FfmpegOptions = {}): Promise<FrameFeatures> {
  const { hashes, ...features } = await decodeFrames(input, true, options);
  return { ...features, hashes: hashes ?? [] };
}

/** Thumbnails and perceptual hashes only: no rgb24 conversion and no hashing, for perceptual comparison of media. */
export async function extractPerceptualFeatures(input: string, options: FfmpegOptions = {}): Promise<Omit<FrameFeatures, "hashes">> {
  const { hashes: _none, ...features } = await decodeFrames(input, false, options);
  return features;
}

async function decodeFrames(input: string, exact: boolean, options: FfmpegOptions): Promise<Omit<FrameFeatures, "hashes"> & { hashes: string[] | undefined }> {
  const source = await openFrameInput(input);
  try {
    const probed = await probeMedia(source.probeFile, options);
    const video = probed.video;
    if (video === undefined || video.width === 0 || video.height === 0) {
      throw new RecompError({ code: "format_invalid", message: "no video stream to hash", location: { file: input } });
    }
    const hasher = new RecordHasher(video.width * video.height * 3);
    const thumbs = new ByteCollector();
    const colours = new ByteCollector();
    const thumbChain = `scale=${signatureWidth}:${signatureHeight}:flags=area,format=gray`;
    const thumbOutput = ["-fps_mode", "passthrough", "-f", "rawvideo"];
    const inputArgs = [...quietArgs, ...threadArgs(options), ...source.args];
    const args = exact
      ? [
          ...inputArgs,
          "-filter_complex", `[0:v:0]split=3[full][small][col];[small]${thumbChain}[thumb];[col]${colourThumbChain}[colour]`,
          "-map", "[full]", "-fps_mode", "passthrough", "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1",
          "-map", "[thumb]", ...thumbOutput, "pipe:3",
          "-map", "[colour]", ...thumbOutput, "pipe:4",
        ]
      : [
          ...inputArgs,
          "-filter_complex", `[0:v:0]split=2[small][col];[small]${thumbChain}[thumb];[col]${colourThumbChain}[colour]`,
          "-map", "[thumb]", ...thumbOutput, "pipe:1",
          "-map", "[colour]", ...thumbOutput, "pipe:3",
        ];
    const sinks = exact ? [hasher, thumbs, colours] : [thumbs, colours];
    await runRawPipes(ffmpegBinary(options), args, sinks, `decoding frames of ${input}`);
    if (hasher.partialBytes !== 0) {
      throw new RecompError({
        code: "format_invalid",
        message: "decoded frames changed size mid-stream",
        location: { file: input },
        hint: "every frame must have the size of the first one",
      });
    }
    const signatures = new Uint8Array(thumbs.bytes());
    const count = signatures.length / signatureBytes;
    const colour = new Uint8Array(colours.bytes());
    const hashes = exact ? hasher.finish() : undefined;
    if (!Number.isInteger(count) || colour.length !== count * colourBytes || (hashes !== undefined && hashes.length !== count)) {
      throw new RecompError({ code: "stage_failed", message: "ffmpeg returned a different number of thumbnails than frames", location: { file: input } });
    }
    const phashes = Array.from({ length: count }, (_, i) => perceptualHash(signatures.subarray(i * signatureBytes, (i + 1) * signatureBytes)));
    return { width: video.width, height: video.height, hashes, signatures, colour, phashes };
  } finally {
    await source.dispose();
  }
}
