/**
 * media: the compact features file written beside a hash list (`<list>.features`), so a comparison
 * never decodes media again. Layout: magic "RCMPFEAT", u32 LE header length, canonical JSON header,
 * then the body. Video: the 8-byte perceptual hashes (LE) of every frame, then every frame's 64x36
 * luma thumbnail, then every frame's 64x36 YUV 4:4:4 colour thumbnail: each kind is contiguous, so
 * reading a file is one read and three views, no copy (re-validation's cost was copying and touching
 * fresh memory). Audio: per hop 1 loudness byte + 16 band bytes. The header records the SHA-256 of the
 * hash list the file belongs to: features beside a list they were not made with are refused. Files of
 * another version are refused, naming what changed since.
 */
import { closeSync, fstatSync, openSync, read } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { z } from "zod";
import { canonicalJson } from "../util/canonical-json.js";
import { RecompError } from "../util/errors.js";
import { hopFeatureBytes, hopSamples, windowSamples, bandCount } from "./audio-signature.js";
import type { AudioFeatures } from "./audio-features.js";
import type { FrameFeatures } from "./frame-features.js";
import { colourBytes, colourHeight, colourWidth } from "./colour-thumb.js";
import { signatureBytes, signatureHeight, signatureWidth } from "./luma-signature.js";
import { changedWhileRead, ThumbnailsInFile, type Thumbnails } from "./thumbnails.js";

const magic = Buffer.from("RCMPFEAT", "ascii");

export function featuresPathFor(hashListPath: string): string {
  return `${hashListPath}.features`;
}

/** The features format versions this build writes and reads (video and audio change separately). */
export const videoFeaturesVersion = 4;
export const audioFeaturesVersion = 3;

const listChange = "records the SHA-256 of the hash list it belongs to";
/** What each version changed, for the message that refuses an older file. */
const changes = {
  video: {
    2: "version 2 added colour thumbnails",
    3: "version 3 stores each kind of feature of all frames together, read without copying",
    4: `version 4 ${listChange}`,
  } as Record<number, string>,
  audio: { 3: `version 3 ${listChange}` } as Record<number, string>,
};

const listSha256 = z.string().regex(/^[0-9a-f]{64}$/).describe("SHA-256 of the hash list file this features file belongs to");

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
  list_sha256: listSha256,
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
  list_sha256: listSha256,
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

/** The hash list a features file must belong to: its path (for messages) and the SHA-256 of its bytes. */
export interface HashListIdentity {
  file: string;
  sha256: string;
}

export function encodeFrameFeatures(features: StoredFrameFeatures, listSha256: string): Buffer {
  const count = features.phashes.length;
  const body = Buffer.alloc(count * videoRecord);
  features.phashes.forEach((phash, i) => body.writeBigUInt64LE(phash, i * 8));
  body.set(features.signatures.subarray(0, count * signatureBytes), count * 8);
  body.set(features.colour.subarray(0, count * colourBytes), count * (8 + signatureBytes));
  const head = {
    kind: "video", version: videoFeaturesVersion, frames: count, width: features.width, height: features.height,
    thumb_width: signatureWidth, thumb_height: signatureHeight, colour_width: colourWidth, colour_height: colourHeight,
    list_sha256: listSha256,
  };
  return pack(head, body);
}

export function encodeAudioFeatures(features: StoredAudioFeatures, listSha256: string): Buffer {
  const head = {
    kind: "audio", version: audioFeaturesVersion, sample_rate: features.profile.sampleRate, channels: features.profile.channels,
    samples: features.samples, hop_samples: hopSamples, window_samples: windowSamples, bands: bandCount, list_sha256: listSha256,
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
  if (typeof version !== "number" || (kind !== "video" && kind !== "audio")) return;
  const current = kind === "video" ? videoFeaturesVersion : audioFeaturesVersion;
  if (version === current) return;
  const since = Object.entries(changes[kind]).filter(([v]) => Number(v) > version).map(([, change]) => change);
  const what = kind === "video" ? "frame" : "audio";
  throw bad(file, `holds ${what} features of version ${version}, this recomp reads version ${current}${since.length === 0 ? "" : ` (${since.join("; ")})`}`);
}

type Header = z.infer<typeof header>;
type Decoded = ({ kind: "video"; features: StoredFrameFeatures } | { kind: "audio"; features: StoredAudioFeatures }) & { listSha256: string };

/** The header at the start of `bytes` (which must hold all of it) and where the body starts. */
function parseHead(bytes: Buffer, file: string): { header: Header; bodyStart: number } {
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
  return { header: parsed.data, bodyStart: 12 + length };
}

export function decodeFeatures(bytes: Buffer, file: string): Decoded {
  const { header: parsedHeader, bodyStart } = parseHead(bytes, file);
  const body = bytes.subarray(bodyStart);
  if (parsedHeader.kind === "video") {
    const frames = parsedHeader.frames;
    if (body.length !== frames * videoRecord) throw bad(file, "is truncated");
    // Views into the bytes read, not copies; plain Uint8Arrays like the decoder's (a Buffer here would
    // make the hot loops that read thumbnails see two array classes).
    const view = (from: number, length: number) => new Uint8Array(body.buffer, body.byteOffset + from, length);
    const signatures = view(frames * 8, frames * signatureBytes);
    const colour = view(frames * (8 + signatureBytes), frames * colourBytes);
    return { kind: "video", features: { width: parsedHeader.width, height: parsedHeader.height, signatures, colour, phashes: phashesOf(body, frames) }, listSha256: parsedHeader.list_sha256 };
  }
  if (body.length % hopFeatureBytes !== 0) throw bad(file, "is truncated");
  return {
    kind: "audio",
    features: {
      profile: { sampleRate: parsedHeader.sample_rate, channels: parsedHeader.channels },
      samples: parsedHeader.samples,
      hops: new Uint8Array(body),
    },
    listSha256: parsedHeader.list_sha256,
  };
}

function phashesOf(body: Buffer, frames: number): bigint[] {
  return Array.from({ length: frames }, (_, i) => body.readBigUInt64LE(i * 8));
}

/** Features made with another hash list (or with this list before it was edited or rewritten) describe other frames. */
function checkBelongsTo(decoded: { listSha256: string }, file: string, list: HashListIdentity): void {
  if (decoded.listSha256 === list.sha256) return;
  throw new RecompError({
    code: "input_mismatch",
    message: `features file belongs to a hash list with SHA-256 ${decoded.listSha256}, not to ${list.file} (SHA-256 ${list.sha256})`,
    location: { file },
    hint: "the list and its features come from different runs, or the list was changed: write both again with `recomp hash-frames`/`hash-audio`",
  });
}

/** Reads up to `length` bytes of a file at `position` into `bytes` from `offset`; resolves to how many were read. */
type ReadAt = (bytes: Uint8Array, offset: number, length: number, position: number) => Promise<number>;

function handleReader(handle: FileHandle): ReadAt {
  return async (bytes, offset, length, position) => (await handle.read(bytes, offset, length, position)).bytesRead;
}

/** Fills `bytes` from `position` on; returns how many bytes were read (fewer at the end of the file). The first read is under way on return. */
async function readInto(readAt: ReadAt, bytes: Uint8Array, position: number): Promise<number> {
  let filled = 0;
  while (filled < bytes.length) {
    const bytesRead = await readAt(bytes, filled, bytes.length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

async function readExactly(handle: FileHandle, length: number, position: number): Promise<Buffer> {
  const bytes = Buffer.allocUnsafeSlow(length);
  return bytes.subarray(0, await readInto(handleReader(handle), bytes, position));
}

/**
 * The whole file in one read into one buffer (`readFile` reads 512 KiB at a time, each read a round
 * trip between the main thread and the thread pool: 80 of them for the 150 s 720p pair's 41.5 MB).
 */
async function readWhole(file: string): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    return await readExactly(handle, (await handle.stat()).size, 0);
  } finally {
    await handle.close();
  }
}

function missing(file: string): RecompError {
  return new RecompError({
    code: "input_missing",
    message: "features file does not exist",
    location: { file },
    hint: "perceptual comparison of a `list` needs the features file `recomp hash-frames`/`hash-audio` writes beside it",
  });
}

async function readFeatures(file: string, list: HashListIdentity): Promise<Decoded> {
  const bytes = await readWhole(file).catch(() => {
    throw missing(file);
  });
  const decoded = decodeFeatures(bytes, file);
  checkBelongsTo(decoded, file, list);
  return decoded;
}

/** Frame features whose colour thumbnails stay in the file until they are compared (see thumbnails.ts). */
export type OpenedFrameFeatures = Omit<StoredFrameFeatures, "colour"> & { colour: Thumbnails };

/** A frame features file whose header was read and checked; its body not yet read. */
export interface FrameFeaturesHead {
  file: string;
  /** SHA-256 of the hash list the file belongs to (`checkFeaturesBelongTo`). */
  listSha256: string;
  frames: number;
  width: number;
  height: number;
  bodyStart: number;
  /** The file as measured when its header was read: the body must be read from the same file. */
  identity: { size: number; mtimeMs: number };
}

/** Reads and checks the header of a frame features file (version, size); `checkFeaturesBelongTo` checks its list. */
export async function openFrameFeaturesHead(file: string): Promise<FrameFeaturesHead> {
  const handle = await open(file, "r").catch(() => {
    throw missing(file);
  });
  try {
    const { size, mtimeMs } = await handle.stat();
    let head = await readExactly(handle, Math.min(size, 4096), 0);
    if (head.length >= 12 && 12 + head.readUInt32LE(8) > head.length) head = await readExactly(handle, Math.min(size, 12 + head.readUInt32LE(8)), 0);
    const { header: parsed, bodyStart } = parseHead(head, file);
    if (parsed.kind !== "video") throw bad(file, "holds audio features where frame features were expected");
    if (size - bodyStart !== parsed.frames * videoRecord) throw bad(file, "is truncated");
    return { file, listSha256: parsed.list_sha256, frames: parsed.frames, width: parsed.width, height: parsed.height, bodyStart, identity: { size, mtimeMs } };
  } finally {
    await handle.close();
  }
}

/**
 * The perceptual hashes and luma thumbnails (a quarter of the file) of a checked features file; the colour
 * thumbnails are read when compared, through a small buffer. The luma thumbnails are read into `luma` when
 * given (memory of the caller's, frames x signatureBytes), else into a new buffer.
 */
export async function readFrameFeaturesBody(head: FrameFeaturesHead, luma?: Uint8Array): Promise<OpenedFrameFeatures> {
  const { file, frames, bodyStart, identity } = head;
  // Opened and measured synchronously (microseconds), so that both reads are under way when this returns
  // and the caller can parse the hash list meanwhile.
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    throw missing(file);
  }
  const signatures = luma ?? new Uint8Array(frames * signatureBytes);
  const phashBytes = Buffer.allocUnsafeSlow(frames * 8);
  let reads: Promise<[number, number]>;
  try {
    const { size, mtimeMs } = fstatSync(fd);
    if (size !== identity.size || mtimeMs !== identity.mtimeMs) throw changedWhileRead(file);
    const readAt: ReadAt = (bytes, offset, length, position) =>
      new Promise((done, fail) => read(fd, bytes, offset, length, position, (error, bytesRead) => (error === null ? done(bytesRead) : fail(error))));
    reads = Promise.all([readInto(readAt, phashBytes, bodyStart), readInto(readAt, signatures, bodyStart + frames * 8)]);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  const [phashRead, lumaRead] = await reads.finally(() => closeSync(fd));
  if (phashRead !== frames * 8 || lumaRead !== frames * signatureBytes) throw bad(file, "is truncated");
  const colour = new ThumbnailsInFile(file, bodyStart + frames * (8 + signatureBytes), frames, colourBytes, identity);
  return { width: head.width, height: head.height, signatures, colour, phashes: phashesOf(phashBytes, frames) };
}

/** Refuses a features file written with another hash list than `list` (or with this list before it changed). */
export function checkFeaturesBelongTo(head: FrameFeaturesHead, list: HashListIdentity): void {
  checkBelongsTo(head, head.file, list);
}

/** Reads the frame features written beside `list` as `readFrameFeaturesFile` does, but the colour thumbnails only when compared. */
export async function openFrameFeaturesFile(file: string, list: HashListIdentity): Promise<OpenedFrameFeatures> {
  const head = await openFrameFeaturesHead(file);
  checkFeaturesBelongTo(head, list);
  return readFrameFeaturesBody(head);
}

/** Reads the frame features written beside `list`, refusing them unless they were written with that list. */
export async function readFrameFeaturesFile(file: string, list: HashListIdentity): Promise<StoredFrameFeatures> {
  const decoded = await readFeatures(file, list);
  if (decoded.kind !== "video") throw bad(file, "holds audio features where frame features were expected");
  return decoded.features;
}

/** Reads the audio features written beside `list`, refusing them unless they were written with that list. */
export async function readAudioFeaturesFile(file: string, list: HashListIdentity): Promise<StoredAudioFeatures> {
  const decoded = await readFeatures(file, list);
  if (decoded.kind !== "audio") throw bad(file, "holds frame features where audio features were expected");
  return decoded.features;
}
