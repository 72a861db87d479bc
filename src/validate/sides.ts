// validate: reading one side (reference or capture) as hashes plus features, from a list, a frames folder or a media file.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import type { HashSource, ReferenceVideo } from "../config/video.js";
import {
  defaultAudioProfile,
  extractAudioFeatures,
  extractFrameFeatures,
  extractPerceptualFeatures,
  featuresPathFor,
  parseHashList,
  colourBytes,
  checkFeaturesBelongTo,
  openFrameFeaturesHead,
  readFrameFeaturesBody,
  readAudioFeaturesFile,
  thumbnailsInMemory,
  type AudioProfile,
  type FfmpegOptions,
  type FrameFeaturesHead,
  type HashListIdentity,
  type OpenedFrameFeatures,
  type StoredAudioFeatures,
  type StoredFrameFeatures,
  windowSamples,
} from "../media/index.js";
import { RecompError } from "../util/errors.js";
import { sha256Hex } from "../util/hash.js";
import { lumaInWasm } from "./block-ssim-wasm.js";

export interface VideoSide {
  /** Exact hashes; absent when media was decoded for a perceptual comparison only. */
  hashes: string[] | undefined;
  features: OpenedFrameFeatures | undefined;
}

/** Decoded features, their colour thumbnails as `Thumbnails` like a features file's. */
export function asOpenedFeatures(features: StoredFrameFeatures): OpenedFrameFeatures {
  return { ...features, colour: thumbnailsInMemory(features.colour, colourBytes) };
}

export function frameCount(side: VideoSide): number {
  return side.hashes?.length ?? side.features?.phashes.length ?? 0;
}

export interface AudioSide {
  hashes: string[];
  features: StoredAudioFeatures | undefined;
}

export function resolveIn(dir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dir, path);
}

/** The PCM profile a side's audio is hashed at: its [audio], else the reference's [normalization.profile], else 48 kHz stereo. */
export function audioProfileOf(side: Pick<ReferenceVideo, "audio" | "normalization">): AudioProfile {
  if (side.audio !== undefined) return { sampleRate: side.audio.sample_rate, channels: side.audio.channels };
  const profile = side.normalization?.profile;
  if (profile !== undefined) return { sampleRate: profile.audio_sample_rate, channels: profile.audio_channels };
  return defaultAudioProfile;
}

/** The capture is hashed at its own [audio] profile when it declares one, else at the reference's (else the default). */
export function captureAudioProfile(reference: ReferenceVideo | undefined, capture: Pick<ReferenceVideo, "audio">): AudioProfile {
  if (capture.audio !== undefined || reference === undefined) return audioProfileOf(capture);
  return audioProfileOf(reference);
}

function readListBytes(file: string): Promise<Buffer> {
  return readFile(file).catch(() => {
    throw new RecompError({ code: "input_missing", message: "hash list does not exist", location: { file }, hint: "run `recomp hash-frames`/`hash-audio` or fix [hashes] path" });
  });
}

/** The list's hashes, and its identity (the SHA-256 of its bytes) that the features beside it must record. */
function parseList(bytes: Buffer, file: string): { hashes: string[]; identity: HashListIdentity } {
  return { hashes: parseHashList(bytes.toString("utf8"), file).hashes, identity: { file, sha256: sha256Hex(bytes) } };
}

async function readList(file: string): Promise<{ hashes: string[]; identity: HashListIdentity }> {
  return parseList(await readListBytes(file), file);
}

function checkFeatureCount(count: number, hashes: number, file: string): void {
  if (count !== hashes) {
    throw new RecompError({
      code: "input_mismatch",
      message: `features file describes ${count} entries but the hash list holds ${hashes}`,
      location: { file },
      hint: "the list and its features come from different runs: write both again with `recomp hash-frames`/`hash-audio`",
    });
  }
}

/** A side read up to the header of its features file (a list's): the rest is read where the comparison wants it. */
interface HeadedSide {
  /** The list: read, parsed while the features are read. */
  listFile: string;
  listBytes: Buffer;
  head: FrameFeaturesHead;
}

/** `perceptual` mode needs features; decoded media then skips the exact hashes (the costly rgb24 pass). */
async function openVideoSide(source: HashSource, dir: string, perceptualOnly: boolean, options: FfmpegOptions): Promise<VideoSide | HeadedSide> {
  const needFeatures = perceptualOnly;
  const path = resolveIn(dir, source.path);
  if (source.format !== "list") {
    if (perceptualOnly) return { hashes: undefined, features: asOpenedFeatures(await extractPerceptualFeatures(path, options)) };
    const features = await extractFrameFeatures(path, options);
    return { hashes: features.hashes, features: asOpenedFeatures(features) };
  }
  const featuresFile = featuresPathFor(path);
  if (!needFeatures && !existsSync(featuresFile)) return { hashes: (await readList(path)).hashes, features: undefined };
  const [list, head] = await Promise.allSettled([readListBytes(path), openFrameFeaturesHead(featuresFile)]);
  if (list.status === "rejected") throw list.reason;
  if (head.status === "rejected") {
    // A bad list is reported before its features.
    parseList(list.value, path);
    throw head.reason;
  }
  return { listFile: path, listBytes: list.value, head: head.value };
}

/** The rest of a side `openVideoSide` left headed: its list parsed and checked while `body`, its features, is read. */
async function finishHeadedSide(side: HeadedSide, body: Promise<OpenedFrameFeatures>): Promise<VideoSide> {
  // Awaited once the list is checked (a failed check must not leave it an unhandled rejection).
  body.catch(() => undefined);
  const { hashes, identity } = parseList(side.listBytes, side.listFile);
  checkFeaturesBelongTo(side.head, identity);
  checkFeatureCount(side.head.frames, hashes.length, side.head.file);
  return { hashes, features: await body };
}

/** Where a side's frames are: a list, a frames folder or a media file, in `dir`. */
export interface VideoSource {
  source: HashSource;
  dir: string;
}

/**
 * Both sides' frames. When both come with features files, their luma thumbnails are read straight into the
 * WebAssembly memory the alignment computes on (block-ssim-wasm.ts), sized once both headers are known.
 */
export async function loadVideoSides(reference: VideoSource, capture: VideoSource, perceptualOnly: boolean, options: FfmpegOptions): Promise<[VideoSide, VideoSide]> {
  const open = (side: VideoSource) => openVideoSide(side.source, side.dir, perceptualOnly, options);
  const [ref, cap] = await Promise.all([open(reference), open(capture)]);
  const luma = "head" in ref && "head" in cap ? lumaInWasm(ref.head.frames, cap.head.frames) : undefined;
  // Both sides' reads are under way before either list is parsed.
  const start = (side: VideoSide | HeadedSide, into: Uint8Array | undefined) => ("head" in side ? { side, body: readFrameFeaturesBody(side.head, into) } : side);
  const started = [start(ref, luma?.ref), start(cap, luma?.cap)] as const;
  const finish = async (side: (typeof started)[number]): Promise<VideoSide> => ("body" in side ? finishHeadedSide(side.side, side.body) : side);
  return Promise.all([finish(started[0]), finish(started[1])]);
}

export async function loadAudioSide(source: HashSource, dir: string, profile: AudioProfile, needFeatures: boolean, options: FfmpegOptions): Promise<AudioSide> {
  const path = resolveIn(dir, source.path);
  if (source.format === "directory") {
    throw new RecompError({
      code: "format_unsupported",
      message: "[hashes.audio] format \"directory\" has no meaning for audio",
      location: { file: path },
      hint: 'use format = "file" (an audio file) or "list" (a hash list)',
    });
  }
  if (source.format === "file") {
    const features = await extractAudioFeatures(path, profile, options);
    return { hashes: features.hashes, features };
  }
  const { hashes, identity } = await readList(path);
  const featuresFile = featuresPathFor(path);
  if (!needFeatures && !existsSync(featuresFile)) return { hashes, features: undefined };
  const features = await readAudioFeaturesFile(featuresFile, identity);
  checkFeatureCount(Math.ceil(features.samples / windowSamples), hashes.length, featuresFile);
  return { hashes, features };
}
