/**
 * formats: random-access byte sources. Parsers read headers and segments through this small
 * interface so that the same parser works over a file, a buffer, or a range inside a container
 * (an NRO's asset section, a decrypted NCA section), and never holds a whole image in memory.
 */
import { open, type FileHandle } from "node:fs/promises";
import { RecompError } from "../util/errors.js";

export interface ByteSource {
  /** Total number of readable bytes. */
  readonly size: number;
  /** What the bytes are, for error messages (a file name as the user gave it, or `nro.romfs`). */
  readonly label: string;
  /** Exactly `length` bytes from `offset`; throws when the range is not inside `[0, size)`. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Fills `target` from `offset` without an intermediate buffer (sources that can; see `readInto`). */
  readInto?(offset: number, target: Uint8Array): Promise<void>;
}

/** Fills `target` with the bytes at `offset`: straight into it when the source can, else by a copy. */
export async function readInto(source: ByteSource, offset: number, target: Uint8Array): Promise<void> {
  if (source.readInto !== undefined) return source.readInto(offset, target);
  target.set(await source.read(offset, target.length));
}

/** A byte source over an open file that must be closed after use. */
export interface FileByteSource extends ByteSource {
  close(): Promise<void>;
}

function rangeError(source: { size: number; label: string }, offset: number, length: number): RecompError | undefined {
  const valid =
    Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0 && offset + length <= source.size;
  if (!valid) {
    return new RecompError({
      code: "format_invalid",
      message: `read of 0x${length.toString(16)} bytes at 0x${offset.toString(16)} is outside ${source.label} (size 0x${source.size.toString(16)})`,
      location: { file: source.label, offset },
      hint: "the file is truncated or a header field points past its end",
    });
  }
  return undefined;
}

function checkRange(source: { size: number; label: string }, offset: number, length: number): void {
  const error = rangeError(source, offset, length);
  if (error !== undefined) throw error;
}

export function memorySource(bytes: Uint8Array, label: string): ByteSource {
  const source: ByteSource = {
    size: bytes.length,
    label,
    read(offset, length) {
      // A bad range is a rejected promise, as with a file.
      const error = rangeError(source, offset, length);
      if (error !== undefined) return Promise.reject(error);
      return Promise.resolve(bytes.subarray(offset, offset + length));
    },
  };
  return source;
}

/** Opens `path` read-only; `label` defaults to the path as given. */
export async function openFileSource(path: string, label: string = path): Promise<FileByteSource> {
  const handle: FileHandle = await open(path, "r");
  const { size } = await handle.stat();
  const fill = async (offset: number, target: Uint8Array): Promise<void> => {
    const length = target.length;
    checkRange(source, offset, length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(target, done, length - done, offset + done);
      if (bytesRead === 0) {
        throw new RecompError({
          code: "format_invalid",
          message: `${label} ended at 0x${(offset + done).toString(16)} while reading (the file shrank while open)`,
          location: { file: label, offset: offset + done },
        });
      }
      done += bytesRead;
    }
  };
  const source: FileByteSource = {
    size,
    label,
    async read(offset, length) {
      const buffer = new Uint8Array(length);
      await fill(offset, buffer);
      return buffer;
    },
    readInto: fill,
    close: () => handle.close(),
  };
  return source;
}

/** Runs `body` over a file source and always closes the file. */
export async function withFileSource<T>(path: string, label: string, body: (source: ByteSource) => Promise<T>): Promise<T> {
  const source = await openFileSource(path, label);
  try {
    return await body(source);
  } finally {
    await source.close();
  }
}

/** The bytes `[offset, offset + length)` of `parent` as a source of their own (offsets start at 0). */
export function subSource(parent: ByteSource, offset: number, length: number, label: string): ByteSource {
  checkRange(parent, offset, length);
  const source: ByteSource = {
    size: length,
    label,
    async read(innerOffset, innerLength) {
      checkRange(source, innerOffset, innerLength);
      return parent.read(offset + innerOffset, innerLength);
    },
    async readInto(innerOffset, target) {
      checkRange(source, innerOffset, target.length);
      return readInto(parent, offset + innerOffset, target);
    },
  };
  return source;
}
