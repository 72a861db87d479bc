// intake: SHA-256 and size of every file under a folder, relative `/` paths, sorted (manifests).
import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { sha256File } from "../util/hash.js";

export interface FileDigestEntry {
  path: string;
  sha256: string;
  size: number;
}

export async function listFileDigests(root: string): Promise<FileDigestEntry[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  const digests: FileDigestEntry[] = [];
  for (const file of files) digests.push({ path: relative(root, file).split(sep).join("/"), ...(await sha256File(file)) });
  return digests.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
