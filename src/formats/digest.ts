// formats: SHA-256 computed off the main thread (WebCrypto runs on the libuv pool), so hashing one
// segment overlaps with decompressing the next.
import { webcrypto } from "node:crypto";

export async function sha256HexOffThread(bytes: Uint8Array): Promise<string> {
  const digest = await webcrypto.subtle.digest("SHA-256", bytes);
  return Buffer.from(digest).toString("hex");
}
