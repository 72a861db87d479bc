/**
 * media: a run of fixed-size thumbnails (one per frame), in memory or left in a features file and read
 * on demand. Re-validation reads the colour thumbnails of the 150 s 720p pair (31 MB per side) once, in
 * frame order: read through one small reused buffer, they cost no fresh memory. Touching 31 MB of fresh
 * memory costs a page fault per 4 KiB, which was most of reading a features file (0.19 s of system time
 * per 41.5 MB here, against 4-8 ms through a reused 1 MiB buffer).
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { RecompError } from "../util/errors.js";

export interface Thumbnails {
  readonly count: number;
  /** Bytes of one thumbnail. */
  readonly size: number;
  /** Makes thumbnail `index` readable and returns the bytes holding it; valid until the next `load`. */
  load(index: number): Uint8Array;
  /** Where thumbnail `index` starts in what the last `load(index)` returned. */
  offsetOf(index: number): number;
  /** A copy of thumbnail `index` that stays valid. */
  copy(index: number): Uint8Array;
}

/** Thumbnails already in memory, `size` bytes each. */
export function thumbnailsInMemory(bytes: Uint8Array, size: number): Thumbnails {
  return {
    count: Math.floor(bytes.length / size),
    size,
    load: () => bytes,
    offsetOf: (index) => index * size,
    copy: (index) => bytes.slice(index * size, (index + 1) * size),
  };
}

/** Thumbnails read this many at a time: about 440 KB of colour thumbnails. */
const chunkThumbnails = 64;

/**
 * `count` thumbnails of `size` bytes stored one after another from byte `start` of `file`. The file is
 * opened for each chunk read (no descriptor outlives a call); it must still be the file measured when
 * it was first read (same size and modification time), else the read is refused.
 */
export class ThumbnailsInFile implements Thumbnails {
  private readonly buffer: Uint8Array;
  private first = 0;
  private loaded = 0;

  constructor(
    private readonly file: string,
    private readonly start: number,
    readonly count: number,
    readonly size: number,
    private readonly identity: { size: number; mtimeMs: number },
  ) {
    this.buffer = new Uint8Array(Math.min(count, chunkThumbnails) * size);
  }

  load(index: number): Uint8Array {
    if (index < this.first || index >= this.first + this.loaded) this.fill(index);
    return this.buffer;
  }

  offsetOf(index: number): number {
    return (index - this.first) * this.size;
  }

  copy(index: number): Uint8Array {
    const bytes = this.load(index);
    const at = this.offsetOf(index);
    return bytes.slice(at, at + this.size);
  }

  /** Reads the chunk that starts at thumbnail `index` (reading runs forward: the next loads are served from it). */
  private fill(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) throw new RangeError(`thumbnail ${index} of ${this.count}`);
    const wanted = Math.min(this.count - index, chunkThumbnails);
    const fd = openSync(this.file, "r");
    try {
      const now = fstatSync(fd);
      if (now.size !== this.identity.size || now.mtimeMs !== this.identity.mtimeMs) throw changedWhileRead(this.file);
      let filled = 0;
      const bytes = wanted * this.size;
      while (filled < bytes) {
        const read = readSync(fd, this.buffer, filled, bytes - filled, this.start + index * this.size + filled);
        if (read === 0) throw changedWhileRead(this.file);
        filled += read;
      }
    } finally {
      closeSync(fd);
    }
    this.first = index;
    this.loaded = wanted;
  }
}

/** A features file read in parts is refused when it changed between the parts. */
export function changedWhileRead(file: string): RecompError {
  return new RecompError({
    code: "input_mismatch",
    message: "features file changed while it was read",
    location: { file },
    hint: "run the validation again once nothing writes the features files",
  });
}
