/**
 * formats: the ciphers of NCA files, on node:crypto. The header uses AES-128-XTS over 0x200-byte
 * sectors whose tweak is the sector number *big-endian* (standard XTS is little-endian); sections
 * use AES-128-CTR whose counter is the section's 8-byte upper IV then the byte offset / 16.
 */
import { createCipheriv, createDecipheriv } from "node:crypto";

export const ncaSectorSize = 0x200;

/** Nintendo's XTS tweak: the 128-bit sector number, most significant byte first. */
export function nintendoXtsTweak(sector: number): Buffer {
  const tweak = Buffer.alloc(16);
  tweak.writeBigUInt64BE(BigInt(sector), 8);
  return tweak;
}

function xts(encrypt: boolean, key: Uint8Array, data: Uint8Array, firstSector: number): Buffer {
  if (data.length % ncaSectorSize !== 0) throw new RangeError(`XTS data must be whole 0x200-byte sectors, got 0x${data.length.toString(16)}`);
  const out = Buffer.alloc(data.length);
  // One cipher per sector: OpenSSL treats each update as one data unit with the IV given at init.
  for (let at = 0; at < data.length; at += ncaSectorSize) {
    const tweak = nintendoXtsTweak(firstSector + at / ncaSectorSize);
    const cipher = encrypt ? createCipheriv("aes-128-xts", key, tweak) : createDecipheriv("aes-128-xts", key, tweak);
    const sector = data.subarray(at, at + ncaSectorSize);
    const done = Buffer.concat([cipher.update(sector), cipher.final()]);
    done.copy(out, at);
  }
  return out;
}

/** Decrypts whole sectors; `key` is the 32-byte header_key (data key then tweak key). */
export function xtsDecrypt(key: Uint8Array, data: Uint8Array, firstSector: number): Buffer {
  return xts(false, key, data, firstSector);
}

export function xtsEncrypt(key: Uint8Array, data: Uint8Array, firstSector: number): Buffer {
  return xts(true, key, data, firstSector);
}

/** AES-128-ECB over whole 16-byte blocks (key-area keys and title keys are wrapped this way). */
export function ecbDecrypt(key: Uint8Array, data: Uint8Array): Buffer {
  const decipher = createDecipheriv("aes-128-ecb", key, null).setAutoPadding(false);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

export function ecbEncrypt(key: Uint8Array, data: Uint8Array): Buffer {
  const cipher = createCipheriv("aes-128-ecb", key, null).setAutoPadding(false);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

/** The CTR counter block for `offset` (a multiple of 16, counted from the start of the NCA). */
export function ncaCtrCounter(upperIv: Uint8Array, offset: number): Buffer {
  const counter = Buffer.alloc(16);
  counter.set(upperIv.subarray(0, 8), 0);
  counter.writeBigUInt64BE(BigInt(Math.floor(offset / 16)), 8);
  return counter;
}

/** CTR is its own inverse: this both encrypts and decrypts `data` that starts at NCA `offset`. */
export function ncaCtrTransform(key: Uint8Array, upperIv: Uint8Array, offset: number, data: Uint8Array): Buffer {
  const skip = offset % 16;
  const cipher = createDecipheriv("aes-128-ctr", key, ncaCtrCounter(upperIv, offset - skip));
  if (skip !== 0) cipher.update(Buffer.alloc(skip));
  // CTR is a stream cipher: update returns every byte and final adds none (no copy into a concat).
  const out = cipher.update(data);
  cipher.final();
  return out;
}
