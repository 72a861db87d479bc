/** util: SHA-256 of bytes and of files, streamed so that multi-GB inputs never sit in memory. */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

export interface FileDigest {
  sha256: string;
  size: number;
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

export async function sha256File(path: string): Promise<FileDigest> {
  const hash = createHash("sha256");
  let size = 0;
  // 1 MiB reads: few syscalls, bounded memory.
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const bytes = chunk as Buffer;
    size += bytes.length;
    hash.update(bytes);
  }
  return { sha256: hash.digest("hex"), size };
}
