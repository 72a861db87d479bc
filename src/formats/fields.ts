/**
 * formats: typed field access for binary headers. Every error names the field, the byte offset
 * (absolute within the source) and the source, so a user can look the bytes up in a hex editor.
 */
import { RecompError } from "../util/errors.js";
import { type ByteSource, readInto } from "./byte-source.js";

/** A `format_invalid` error about `field` at `offset` of `label`. */
export function fieldError(label: string, field: string, offset: number, message: string, hint?: string): RecompError {
  return new RecompError({
    code: "format_invalid",
    message: `${field}: ${message}`,
    location: { file: label, keyPath: field, offset },
    ...(hint === undefined ? {} : { hint }),
  });
}

/** Reads `length` bytes of `field`, or throws an error naming the field when they are not all there. */
export async function readField(source: ByteSource, offset: number, length: number, field: string): Promise<Uint8Array> {
  checkFieldRange(source, offset, length, field);
  return source.read(offset, length);
}

/** `readField` into a buffer the caller owns (`target.length` bytes). */
export async function readFieldInto(source: ByteSource, offset: number, target: Uint8Array, field: string): Promise<void> {
  checkFieldRange(source, offset, target.length, field);
  return readInto(source, offset, target);
}

function checkFieldRange(source: ByteSource, offset: number, length: number, field: string): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > source.size) {
    throw fieldError(
      source.label,
      field,
      offset,
      `0x${length.toString(16)} bytes at 0x${offset.toString(16)} run past the end (size 0x${source.size.toString(16)})`,
      "the file is truncated or a header field points past its end",
    );
  }
}

/** Little-endian reads inside a header already in memory; `base` is the header's offset in its source. */
export class FieldView {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly base: number,
    readonly label: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u8(at: number): number {
    return this.view.getUint8(at);
  }

  u32(at: number): number {
    return this.view.getUint32(at, true);
  }

  i32(at: number): number {
    return this.view.getInt32(at, true);
  }

  /** A u64 that must fit a JavaScript number (offsets and sizes do in any real file). */
  u64(at: number, field: string): number {
    const value = this.view.getBigUint64(at, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw fieldError(this.label, field, this.base + at, `0x${value.toString(16)} is too large to be an offset or size`);
    }
    return Number(value);
  }

  /** A u64 identifier (title id) as 16 hex digits. */
  hex64(at: number): string {
    return this.view.getBigUint64(at, true).toString(16).padStart(16, "0");
  }

  slice(at: number, length: number): Uint8Array {
    return this.bytes.subarray(at, at + length);
  }

  hex(at: number, length: number): string {
    return Buffer.from(this.slice(at, length)).toString("hex");
  }

  /** Text up to the first NUL of a fixed-size field. */
  cString(at: number, length: number): string {
    const field = this.slice(at, length);
    const end = field.indexOf(0);
    return Buffer.from(end === -1 ? field : field.subarray(0, end)).toString("utf8");
  }

  /** Throws unless the 4 bytes at `at` spell `magic`. */
  expectMagic(at: number, magic: string, field: string): void {
    const found = Buffer.from(this.slice(at, 4)).toString("latin1");
    if (found !== magic) {
      throw fieldError(this.label, field, this.base + at, `expected magic "${magic}", found ${JSON.stringify(found)}`, `this is not a ${magic} file`);
    }
  }
}

/**
 * Throws unless `[start, start + length)` lies inside `[0, limit)`. `fieldOffset` is where the
 * field that declared the range sits, so the error points at the bytes to look at.
 */
export function expectRange(
  label: string,
  field: string,
  fieldOffset: number,
  start: number,
  length: number,
  limit: number,
  limitName: string,
): void {
  if (start < 0 || length < 0 || start + length > limit) {
    throw fieldError(
      label,
      field,
      fieldOffset,
      `range 0x${start.toString(16)}..0x${(start + length).toString(16)} is outside the ${limitName} (0x${limit.toString(16)} bytes)`,
      "the file is truncated or corrupt",
    );
  }
}
