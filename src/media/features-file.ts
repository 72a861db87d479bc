/**
 * media: the compact features file written beside a hash list (`<list>.features`), so a comparison
 * never decodes media again. Layout: magic "RCMPFEAT", u32 LE header length, canonical JSON header,
 * then the body: per frame 8 bytes of perceptual hash (LE) + 64x36 luma thumbnail + 64x36 rgb24
 * colour thumbnail; per audio hop 1 loudness byte + 16 band bytes. Version 2 added the colour
 * thumbnail; older files are refused by name (their frames cannot be compared in colour).
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { canonicalJson } from "../util/canonical-json.js";
import { RecompError } from "../util/errors.js";
import { hopFeatureBytes, hopSamples, windowSamples, bandCount } from "./audio-signature.js";
import type { AudioFeatures } from "./audio-features.js";
import type { FrameFeatures } from "./frame-features.js";
import { colourBytes, colourHeight, colourWidth } from "./colour-thumb.js";
import { signatureBytes, signatureHeight, signatureWidth } from "./luma-signature.js";

const magic = Buffer.from("RCMPFEAT", "ascii");

export function featuresPathFor(hashListPath: string): string {
  return `${hashListPath}.features`;
}

/** The features format version this build writes and reads. */
export const featuresVersion = 2;

const videoHeader = z.strictObject({
  kind: z.literal("video"),
  version: z.literal(featuresVersion),
  frames: z.number().int().nonnegative(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  thumb_width: z.literal(signatureWidth),
  thumb_height: z.literal(signatureHeight),
  colour_width: z.literal(colourWidth),
  colour_height: z.literal(colourHeight),
});

const audioHeader = z.strictObject({
  kind: z.literal("audio"),
  version: z.literal(featuresVersion),
  sample_rate: z.number().int().positive(),
  channels: z.number().int().positive(),
  samples: z.number().int().positive(),
  hop_samples: z.literal(hopSamples),
  window_samples: z.literal(windowSamples),
  bands: z.literal(bandCount),
});

const header = z.discriminatedUnion("kind", [videoHeader, audioHeader]);

function pack(head: object, body: Uint8Array): Buffer {
  const json = Buffer.from(canonicalJson(head), "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  return Buffer.concat([magic, length, json, body]);
}

/** Frame features without the exact hashes (those live in the hash list). */
export type StoredFrameFeatures = Omit<FrameFeatures, "hashes">;
export type StoredAudioFeatures = Omit<AudioFeatures, "hashes">;

const videoRecord = 8 + signatureBytes + colourBytes;

export function encodeFrameFeatures(features: StoredFrameFeatures): Buffer {
  const count = features.phashes.length;
  const body = Buffer.alloc(count * videoRecord);
  features.phashes.forEach((phash, i) => {
    const base = i * videoRecord;
    body.writeBigUInt64LE(phash, base);
    body.set(features.signatures.subarray(i * signatureBytes, (i + 1) * signatureBytes), base + 8);
    body.set(features.colour.subarray(i * colourBytes, (i + 1) * colourBytes), base + 8 + signatureBytes);
  });
  const head = {
    kind: "video", version: featuresVersion, frames: count, width: features.width, height: features.height,
    thumb_width: signatureWidth, thumb_height: signatureHeight, colour_width: colourWidth, colour_height: colourHeight,
  };
  return pack(head, body);
}

export function encodeAudioFeatures(features: StoredAudioFeatures): Buffer {
  const head = {
    kind: "audio", version: featuresVersion, sample_rate: features.profile.sampleRate, channels: features.profile.channels,
    samples: features.samples, hop_samples: hopSamples, window_samples: windowSamples, bands: bandCount,
  };
  return pack(head, features.hops);
}

function bad(file: string, message: string): RecompError {
  return new RecompError({
    code: "format_invalid",
    message: `features file ${message}`,
    location: { file },
    hint: "write it again with `recomp hash-frames` / `recomp hash-audio`",
  });
}

type Decoded = { kind: "video"; features: StoredFrameFeatures } | { kind: "audio"; features: StoredAudioFeatures };

export function decodeFeatures(bytes: Buffer, file: string): Decoded {
  if (bytes.length < 12 || !bytes.subarray(0, 8).equals(magic)) throw bad(file, "does not start with RCMPFEAT");
  const length = bytes.readUInt32LE(8);
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.subarray(12, 12 + length).toString("utf8"));
  } catch {
    throw bad(file, "has an unreadable header");
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof version === "number" && version !== featuresVersion) {
    throw bad(file, `is version ${version}, this recomp reads version ${featuresVersion} (it adds colour thumbnails)`);
  }
  const parsed = header.safeParse(raw);
  if (!parsed.success) throw bad(file, "has an unreadable header");
  const parsedHeader = parsed.data;
  const body = bytes.subarray(12 + length);
  if (parsedHeader.kind === "video") {
    const record = videoRecord;
    if (body.length !== parsedHeader.frames * record) throw bad(file, "is truncated");
    const signatures = new Uint8Array(parsedHeader.frames * signatureBytes);
    const colour = new Uint8Array(parsedHeader.frames * colourBytes);
    const phashes: bigint[] = [];
    for (let i = 0; i < parsedHeader.frames; i += 1) {
      const base = i * record;
      phashes.push(body.readBigUInt64LE(base));
      signatures.set(body.subarray(base + 8, base + 8 + signatureBytes), i * signatureBytes);
      colour.set(body.subarray(base + 8 + signatureBytes, base + record), i * colourBytes);
    }
    return { kind: "video", features: { width: parsedHeader.width, height: parsedHeader.height, signatures, colour, phashes } };
  }
  if (body.length % hopFeatureBytes !== 0) throw bad(file, "is truncated");
  return {
    kind: "audio",
    features: {
      profile: { sampleRate: parsedHeader.sample_rate, channels: parsedHeader.channels },
      samples: parsedHeader.samples,
      hops: new Uint8Array(body),
    },
  };
}

async function readFeatures(file: string): Promise<Decoded> {
  const bytes = await readFile(file).catch(() => {
    throw new RecompError({
      code: "input_missing",
      message: "features file does not exist",
      location: { file },
      hint: "perceptual comparison of a `list` needs the features file `recomp hash-frames`/`hash-audio` writes beside it",
    });
  });
  return decodeFeatures(bytes, file);
}

export async function readFrameFeaturesFile(file: string): Promise<StoredFrameFeatures> {
  const decoded = await readFeatures(file);
  if (decoded.kind !== "video") throw bad(file, "holds audio features where frame features were expected");
  return decoded.features;
}

export async function readAudioFeaturesFile(file: string): Promise<StoredAudioFeatures> {
  const decoded = await readFeatures(file);
  if (decoded.kind !== "audio") throw bad(file, "holds frame features where audio features were expected");
  return decoded.features;
}
