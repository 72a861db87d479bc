/**
 * media: the compact features file written beside a hash list (`<list>.features`), so a comparison
 * never decodes media again. Layout: magic "RCMPFEAT", u32 LE header length, canonical JSON header,
 * then the body. Video: the 8-byte perceptual hashes (LE) of every frame, then every frame's 64x36
 * luma thumbnail, then every frame's 64x36 YUV 4:4:4 colour thumbnail: each kind is contiguous, so
 * reading a file is one read and three views, no copy (re-validation's cost was copying and touching
 * fresh memory). Audio: per hop 1 loudness byte + 16 band bytes. Files of another version are
 * refused, naming what changed since.
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

/** The features format versions this build writes and reads (video and audio change separately). */
export const videoFeaturesVersion = 3;
export const audioFeaturesVersion = 2;

/** What each video version changed, for the message that refuses an older file. */
const videoChanges: Record<number, string> = {
  2: "version 2 added colour thumbnails",
  3: "version 3 stores each kind of feature of all frames together, read without copying",
};

const videoHeader = z.strictObject({
  kind: z.literal("video"),
  version: z.literal(videoFeaturesVersion),
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
  version: z.literal(audioFeaturesVersion),
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
  features.phashes.forEach((phash, i) => body.writeBigUInt64LE(phash, i * 8));
  body.set(features.signatures.subarray(0, count * signatureBytes), count * 8);
  body.set(features.colour.subarray(0, count * colourBytes), count * (8 + signatureBytes));
  const head = {
    kind: "video", version: videoFeaturesVersion, frames: count, width: features.width, height: features.height,
    thumb_width: signatureWidth, thumb_height: signatureHeight, colour_width: colourWidth, colour_height: colourHeight,
  };
  return pack(head, body);
}

export function encodeAudioFeatures(features: StoredAudioFeatures): Buffer {
  const head = {
    kind: "audio", version: audioFeaturesVersion, sample_rate: features.profile.sampleRate, channels: features.profile.channels,
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

/** A file of another version than this build's is refused, saying what changed since (and how to rewrite it). */
function refuseOtherVersion(raw: unknown, file: string): void {
  const { kind, version } = (raw ?? {}) as { kind?: unknown; version?: unknown };
  if (typeof version !== "number") return;
  if (kind === "audio" && version !== audioFeaturesVersion) throw bad(file, `holds audio features of version ${version}, this recomp reads version ${audioFeaturesVersion}`);
  if (kind !== "video" || version === videoFeaturesVersion) return;
  const changes = Object.entries(videoChanges).filter(([v]) => Number(v) > version).map(([, change]) => change);
  const since = changes.length === 0 ? "" : ` (${changes.join("; ")})`;
  throw bad(file, `holds frame features of version ${version}, this recomp reads version ${videoFeaturesVersion}${since}`);
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
  refuseOtherVersion(raw, file);
  const parsed = header.safeParse(raw);
  if (!parsed.success) throw bad(file, "has an unreadable header");
  const parsedHeader = parsed.data;
  const body = bytes.subarray(12 + length);
  if (parsedHeader.kind === "video") {
    const frames = parsedHeader.frames;
    if (body.length !== frames * videoRecord) throw bad(file, "is truncated");
    const phashes = Array.from({ length: frames }, (_, i) => body.readBigUInt64LE(i * 8));
    // Views into the bytes read, not copies; plain Uint8Arrays like the decoder's (a Buffer here would
    // make the hot loops that read thumbnails see two array classes).
    const view = (from: number, length: number) => new Uint8Array(body.buffer, body.byteOffset + from, length);
    const signatures = view(frames * 8, frames * signatureBytes);
    const colour = view(frames * (8 + signatureBytes), frames * colourBytes);
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
