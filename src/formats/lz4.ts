/**
 * formats: LZ4 block decompression (the raw block format, no frame), as NSO segments use it.
 * Written for speed (bulk copies for long literals and matches) and safety: every read and write
 * is bounds-checked and any malformed stream is a typed error naming where it went wrong.
 */
import { fieldError } from "./fields.js";

/** Where the compressed block lives, for error messages. */
export interface Lz4Origin {
  label: string;
  field: string;
  /** Absolute offset of the block's first byte in its file. */
  offset: number;
}

/** LZ4 cannot expand more than 255:1 (each extra length byte adds at most 255 bytes). */
export function lz4MaxDecompressedSize(compressedSize: number): number {
  return compressedSize * 255 + 16;
}

// Runs shorter than this are copied 4 bytes at a time; longer ones with copyWithin (a memmove).
const wordCopyLimit = 64;

/** Decompresses one LZ4 block that must expand to exactly `outputSize` bytes. */
export function decompressLz4Block(src: Uint8Array, outputSize: number, origin: Lz4Origin): Uint8Array {
  const fail = (at: number, message: string): never => {
    throw fieldError(origin.label, origin.field, origin.offset + at, `LZ4 ${message} (input byte 0x${at.toString(16)})`, "the compressed segment is corrupt");
  };
  if (outputSize > lz4MaxDecompressedSize(src.length)) {
    fail(0, `block of 0x${src.length.toString(16)} bytes cannot expand to 0x${outputSize.toString(16)} bytes`);
  }
  // Output and input share one buffer, [output | input]: every copy is within one array (no
  // subarray views), and 4-byte copies may run a little past a run's end ("wild copies") as
  // long as they stay inside the output, where the next run overwrites them.
  const buf = new Uint8Array(outputSize + src.length);
  buf.set(src, outputSize);
  const words = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const base = outputSize;
  const end = buf.length;
  const srcEnd = src.length;
  let s = 0;
  let d = 0;
  while (s < srcEnd) {
    const tokenAt = s;
    const token = buf[base + s++];
    let literals = token >>> 4;
    if (literals === 15) {
      let byte = 255;
      while (byte === 255) {
        if (s >= srcEnd) fail(s, "literal length runs past the end of the input");
        byte = buf[base + s++];
        literals += byte;
      }
    }
    if (literals > srcEnd - s) fail(s, `literal run of ${literals} bytes runs past the end of the input`);
    if (literals > outputSize - d) fail(s, `literal run of ${literals} bytes overruns the 0x${outputSize.toString(16)}-byte output`);
    const from = base + s;
    if (literals < wordCopyLimit && d + literals + 3 < outputSize && from + literals + 3 < end) {
      for (let i = 0; i < literals; i += 4) words.setUint32(d + i, words.getUint32(from + i));
    } else {
      buf.copyWithin(d, from, from + literals);
    }
    s += literals;
    d += literals;
    if (s === srcEnd) break; // The last sequence has literals only.

    if (srcEnd - s < 2) fail(s, "match offset is cut off");
    const distance = (buf[base + s]) | ((buf[base + s + 1]) << 8);
    if (distance === 0 || distance > d) fail(s, `match offset ${distance} points before the start of the output`);
    s += 2;
    let length = (token & 15) + 4;
    if ((token & 15) === 15) {
      let byte = 255;
      while (byte === 255) {
        if (s >= srcEnd) fail(s, "match length runs past the end of the input");
        byte = buf[base + s++];
        length += byte;
      }
    }
    if (length > outputSize - d) fail(tokenAt, `match of ${length} bytes overruns the 0x${outputSize.toString(16)}-byte output`);
    const match = d - distance;
    if (distance >= 4 && length < wordCopyLimit && d + length + 3 < outputSize) {
      // Each 4-byte read lies at least 4 bytes behind its write, so it reads finished output.
      for (let i = 0; i < length; i += 4) words.setUint32(d + i, words.getUint32(match + i));
    } else if (distance < 4 && length < wordCopyLimit) {
      for (let i = 0; i < length; i += 1) buf[d + i] = buf[match + i];
    } else {
      // copyWithin copies as if through a temporary buffer, so an overlapping match (a repeat
      // of period `distance`) is copied in chunks no longer than the period written so far.
      let done = 0;
      while (done < length) {
        const chunk = Math.min(length - done, distance + done);
        buf.copyWithin(d + done, match, match + chunk);
        done += chunk;
      }
    }
    d += length;
  }
  if (d !== outputSize) fail(srcEnd, `block expands to 0x${d.toString(16)} bytes, the header says 0x${outputSize.toString(16)}`);
  return buf.subarray(0, outputSize);
}
