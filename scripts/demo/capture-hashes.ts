/**
 * scripts/demo: hash lists of a native capture, by the definitions of the validation stage
 * (docs: issue 3): a frame is the SHA-256 of its packed RGB24 pixels (the bytes after the PPM
 * header the services write), an audio window the SHA-256 of 1024 sample frames of s16le
 * interleaved PCM (the WAV's data chunk; the services write the canonical 44-byte header).
 * Both equal ffmpeg's `framehash -hash sha256` output, which the demo tests check.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { sha256Hex } from "../../src/util/hash.js";

export const audioWindowFrames = 1024;
const wavHeaderSize = 44;
const bytesPerSampleFrame = 4; // s16le, 2 channels

function ppmPixels(bytes: Buffer, name: string): Buffer {
  // The services write exactly "P6\n<w> <h>\n255\n".
  const match = /^P6\n(\d+) (\d+)\n255\n/.exec(bytes.subarray(0, 32).toString("latin1"));
  if (match === null) throw new Error(`${name}: not a PPM frame written by the runtime services`);
  const pixels = bytes.subarray(match[0].length);
  if (pixels.length !== Number(match[1]) * Number(match[2]) * 3) throw new Error(`${name}: pixel data has the wrong size`);
  return pixels;
}

export async function frameHashes(framesDir: string): Promise<string[]> {
  const names = (await readdir(framesDir)).filter((name) => /^frame_\d+\.ppm$/.test(name)).sort();
  const hashes: string[] = [];
  for (const name of names) hashes.push(sha256Hex(ppmPixels(await readFile(join(framesDir, name)), name)));
  return hashes;
}

export async function audioWindowHashes(wavFile: string): Promise<string[]> {
  const pcm = (await readFile(wavFile)).subarray(wavHeaderSize);
  const windowBytes = audioWindowFrames * bytesPerSampleFrame;
  const hashes: string[] = [];
  for (let at = 0; at < pcm.length; at += windowBytes) hashes.push(sha256Hex(pcm.subarray(at, at + windowBytes)));
  return hashes;
}

/** A hash list file of the prior-art `list` format: one hash per line. */
export function hashListText(hashes: readonly string[]): string {
  return hashes.map((hash) => `${hash}\n`).join("");
}
