// engine: copies generated files into place only where their bytes differ, so an unchanged file
// keeps its timestamp and `make` sees nothing new (the early cutoff of the build).
import { copyFile, mkdir, open, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";

async function sameBytes(a: string, b: string): Promise<boolean> {
  const [left, right] = await Promise.all([open(a, "r"), open(b, "r").catch(() => undefined)]);
  try {
    if (right === undefined) return false;
    const [sa, sb] = await Promise.all([left.stat(), right.stat()]);
    if (sa.size !== sb.size) return false;
    const size = 1 << 20;
    const ba = Buffer.alloc(size);
    const bb = Buffer.alloc(size);
    for (let offset = 0; offset < sa.size; offset += size) {
      const [ra, rb] = await Promise.all([left.read(ba, 0, size, offset), right.read(bb, 0, size, offset)]);
      if (ra.bytesRead !== rb.bytesRead || !ba.subarray(0, ra.bytesRead).equals(bb.subarray(0, rb.bytesRead))) return false;
    }
    return true;
  } finally {
    await left.close();
    await right?.close();
  }
}

/** Moves `files` (relative) from `staging` into `target` where they differ; returns the target paths. */
export async function syncChangedFiles(staging: string, target: string, files: readonly string[]): Promise<{ paths: string[]; written: number }> {
  let written = 0;
  for (const file of files) {
    const from = join(staging, file);
    const to = join(target, file);
    if (await sameBytes(from, to)) continue;
    await mkdir(dirname(to), { recursive: true });
    // A temp copy then a rename: a run killed halfway never leaves half a source file.
    const temp = `${to}.recomp-partial`;
    await copyFile(from, temp);
    await rename(temp, to);
    written += 1;
  }
  await rm(staging, { recursive: true, force: true });
  return { paths: files.map((file) => join(target, file)), written };
}
