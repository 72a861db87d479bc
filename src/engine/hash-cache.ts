// engine: file digests cached by (path, size, mtime, ctime, inode), as Bazel and wireit key theirs, so a
// re-run over multi-GB inputs reads none of them again. A touched file (new mtime) is re-hashed once; its
// digest does not change. ctime catches a file rewritten with its old mtime put back (touch -d, cp -p).
import { readdirSync, statSync, type Dirent } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { z } from "zod";
import { canonicalJson } from "../util/canonical-json.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { sha256File, type FileDigest } from "../util/hash.js";

const cacheEntrySchema = z.object({
  size: z.number(),
  mtimeNs: z.string(),
  ctimeNs: z.string(),
  ino: z.number(),
  sha256: z.string(),
});
type CacheEntry = z.infer<typeof cacheEntrySchema>;
const derivedEntrySchema = cacheEntrySchema.omit({ sha256: true }).extend({ value: z.string() });
type DerivedEntry = z.infer<typeof derivedEntrySchema>;
const cacheFileSchema = z.object({
  version: z.literal(2),
  entries: z.record(z.string(), cacheEntrySchema),
  derived: z.record(z.string(), derivedEntrySchema).optional(),
});

export interface TreeEntry extends FileDigest {
  /** Path relative to the tree's root, with `/`. */
  path: string;
}

export class HashCache {
  private readonly entries = new Map<string, CacheEntry>();
  /** Values computed from a file (a tool's version from its binary), keyed by path and kind. */
  private readonly derivedEntries = new Map<string, DerivedEntry>();
  private dirty = false;
  hashedBytes = 0;

  private constructor(private readonly file: string | undefined) {}

  /** A cache persisted in `file` (a damaged or missing file starts an empty cache). */
  static async open(file: string | undefined): Promise<HashCache> {
    const cache = new HashCache(file);
    if (file === undefined) return cache;
    try {
      const parsed = cacheFileSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
      if (parsed.success) {
        for (const [path, entry] of Object.entries(parsed.data.entries)) cache.entries.set(path, entry);
        for (const [key, entry] of Object.entries(parsed.data.derived ?? {})) cache.derivedEntries.set(key, entry);
      }
    } catch {
      // No cache yet: every file is hashed once.
    }
    return cache;
  }

  async digest(path: string): Promise<FileDigest> {
    const state = fileState(path);
    const known = this.entries.get(path);
    if (known !== undefined && sameState(known, state)) return { sha256: known.sha256, size: state.size };
    const digest = await sha256File(path);
    this.hashedBytes += digest.size;
    this.entries.set(path, { ...state, size: digest.size, sha256: digest.sha256 });
    this.dirty = true;
    return digest;
  }

  /** A value computed from the file at `path`, recomputed only when the file's (size, mtime, ctime, inode) change. */
  async derived(path: string, kind: string, compute: () => Promise<string>): Promise<string> {
    const state = fileState(path);
    const key = `${kind}\u0000${path}`;
    const known = this.derivedEntries.get(key);
    if (known !== undefined && sameState(known, state)) return known.value;
    const value = await compute();
    this.derivedEntries.set(key, { ...state, value });
    this.dirty = true;
    return value;
  }

  /** Every regular file under `root`, sorted by relative path, with digests. */
  async tree(root: string): Promise<TreeEntry[]> {
    const files = listFiles(root);
    const out: TreeEntry[] = [];
    for (const file of files) {
      const digest = await this.digest(file);
      out.push({ path: relative(root, file).split(sep).join("/"), ...digest });
    }
    return out;
  }

  async save(): Promise<void> {
    if (this.file === undefined || !this.dirty) return;
    const entries: Record<string, CacheEntry> = {};
    for (const [path, entry] of this.entries) entries[path] = entry;
    const derived: Record<string, DerivedEntry> = {};
    for (const [key, entry] of this.derivedEntries) derived[key] = entry;
    await writeFileAtomic(this.file, canonicalJson({ version: 2, entries, derived }));
    this.dirty = false;
  }
}

type FileState = Omit<CacheEntry, "sha256">;

// Stats and listings are synchronous: a no-op re-run makes hundreds, and each one's thread-pool round trip
// cost more than the call (issue 11).
function fileState(path: string): FileState {
  const info = statSync(path, { bigint: true });
  return { size: Number(info.size), mtimeNs: info.mtimeNs.toString(), ctimeNs: info.ctimeNs.toString(), ino: Number(info.ino) };
}

function sameState(a: FileState, b: FileState): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.ino === b.ino;
}

/** Regular files below `root` (recursively), sorted; a missing root has none. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  function walk(folder: string): void {
    let names: Dirent[];
    try {
      names = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of names) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push(full);
    }
  }
  walk(root);
  return out.sort();
}
