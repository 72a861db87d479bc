/** util: atomic file writes (temp file in the same folder, then rename): readers never see half a file. */
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, basename, join } from "node:path";

let counter = 0;

/** Writes `data` (text, bytes, or text in chunks, so a large file need not be one string) atomically. */
export async function writeFileAtomic(path: string, data: string | Uint8Array | Iterable<string>): Promise<void> {
  const folder = dirname(path);
  await mkdir(folder, { recursive: true });
  counter += 1;
  const temp = join(folder, `.${basename(path)}.${process.pid}.${counter}.tmp`);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
