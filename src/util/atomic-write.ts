/** util: atomic file writes (temp file in the same folder, then rename): readers never see half a file. */
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, basename, join } from "node:path";

let counter = 0;

/** Writes `data` (text, bytes, or text or bytes in chunks, so a large file need not be one string) atomically. */
export async function writeFileAtomic(path: string, data: string | Uint8Array | Iterable<string | Uint8Array>): Promise<void> {
  const folder = dirname(path);
  await mkdir(folder, { recursive: true });
  counter += 1;
  const temp = join(folder, `.${basename(path)}.${process.pid}.${counter}.tmp`);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    // write(2) errors (disk full) name no path: the file being replaced is the one to name.
    const errno = error as NodeJS.ErrnoException;
    if (typeof errno.code === "string" && (errno.path === undefined || errno.path === temp)) errno.path = path;
    throw error;
  }
}

/**
 * Writes `data` only when the file's bytes differ (atomically), so an unchanged file keeps its modification
 * time and `make` does not rebuild what depends on it. Returns whether it wrote.
 */
export async function writeFileIfChanged(path: string, data: string | Uint8Array): Promise<boolean> {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  const existing = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT" || error.code === "EISDIR") return undefined;
    throw error;
  });
  if (existing !== undefined && Buffer.compare(existing, bytes) === 0) return false;
  await writeFileAtomic(path, bytes);
  return true;
}
