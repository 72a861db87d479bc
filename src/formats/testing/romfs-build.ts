/**
 * formats/testing: builds a RomFS level-3 image from a list of files, with the hash tables
 * filled in as Nintendo's tools do. For fixtures only: real RomFS images come from users.
 */
import { romfsLayout, romfsNameHash } from "../romfs-layout.js";

export interface RomfsBuildFile {
  /** `/`-separated path from the root. */
  path: string;
  data: Uint8Array;
}

interface DirNode {
  name: Uint8Array;
  parent: DirNode | undefined;
  dirs: DirNode[];
  files: FileNode[];
  entry: number;
}

interface FileNode {
  name: Uint8Array;
  data: Uint8Array;
  offset: number;
  entry: number;
}

const align4 = (n: number): number => (n + 3) & ~3;

function bucketCount(entries: number): number {
  let n = Math.max(3, entries);
  const isPrime = (k: number): boolean => {
    for (let d = 2; d * d <= k; d += 1) if (k % d === 0) return false;
    return true;
  };
  while (!isPrime(n)) n += 1;
  return n;
}

function buildTree(files: readonly RomfsBuildFile[]): { root: DirNode; dataSize: number } {
  const root: DirNode = { name: new Uint8Array(0), parent: undefined, dirs: [], files: [], entry: 0 };
  const utf8 = (s: string): Uint8Array => Buffer.from(s, "utf8");
  let dataSize = 0;
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const parts = file.path.split("/");
    const fileName = parts.pop() as string;
    let dir = root;
    for (const part of parts) {
      let next = dir.dirs.find((d) => Buffer.from(d.name).toString("utf8") === part);
      if (next === undefined) {
        next = { name: utf8(part), parent: dir, dirs: [], files: [], entry: 0 };
        dir.dirs.push(next);
      }
      dir = next;
    }
    dir.files.push({ name: utf8(fileName), data: file.data, offset: dataSize, entry: 0 });
    dataSize = (dataSize + file.data.length + 15) & ~15;
  }
  return { root, dataSize };
}

interface RomfsTables {
  allDirs: DirNode[];
  allFiles: { dir: DirNode; file: FileNode }[];
  dirTableSize: number;
  fileTableSize: number;
}

/** Assigns entry offsets breadth-first, as Nintendo's tools lay the tables out. */
function assignEntries(root: DirNode): RomfsTables {
  const allDirs: DirNode[] = [];
  const queue = [root];
  let dirTableSize = 0;
  let fileTableSize = 0;
  while (queue.length > 0) {
    const dir = queue.shift() as DirNode;
    dir.entry = dirTableSize;
    dirTableSize += romfsLayout.dirEntryHeader + align4(dir.name.length);
    allDirs.push(dir);
    queue.push(...dir.dirs);
  }
  const allFiles = allDirs.flatMap((dir) => dir.files.map((file) => ({ dir, file })));
  for (const { file } of allFiles) {
    file.entry = fileTableSize;
    fileTableSize += romfsLayout.fileEntryHeader + align4(file.name.length);
  }
  return { allDirs, allFiles, dirTableSize, fileTableSize };
}

class RomfsWriter {
  readonly out: Uint8Array;
  private readonly view: DataView;

  constructor(size: number) {
    this.out = new Uint8Array(size);
    this.view = new DataView(this.out.buffer);
  }

  u32(at: number, v: number): void {
    this.view.setUint32(at, v >>> 0, true);
  }

  u64(at: number, v: number): void {
    this.view.setBigUint64(at, BigInt(v), true);
  }

  /** Links an entry into its hash bucket's chain and returns the previous head. */
  chain(bucket: number, entry: number): number {
    const previous = this.view.getUint32(bucket, true);
    this.u32(bucket, entry);
    return previous;
  }
}

export function buildRomfs(files: readonly RomfsBuildFile[]): Uint8Array {
  const { root, dataSize } = buildTree(files);
  const { allDirs, allFiles, dirTableSize, fileTableSize } = assignEntries(root);
  const dirBuckets = bucketCount(allDirs.length);
  const fileBuckets = bucketCount(allFiles.length);
  const dirHashOffset = romfsLayout.headerSize;
  const dirTableOffset = dirHashOffset + dirBuckets * 4;
  const fileHashOffset = dirTableOffset + dirTableSize;
  const fileTableOffset = fileHashOffset + fileBuckets * 4;
  const dataOffset = (fileTableOffset + fileTableSize + 15) & ~15;
  const w = new RomfsWriter(dataOffset + dataSize);
  [romfsLayout.headerSize, dirHashOffset, dirBuckets * 4, dirTableOffset, dirTableSize, fileHashOffset, fileBuckets * 4, fileTableOffset, fileTableSize, dataOffset].forEach(
    (value, i) => w.u64(i * 8, value),
  );
  w.out.fill(0xff, dirHashOffset, dirTableOffset);
  w.out.fill(0xff, fileHashOffset, fileTableOffset);
  const none = romfsLayout.none;
  for (const dir of allDirs) {
    const at = dirTableOffset + dir.entry;
    const parentEntry = dir.parent?.entry ?? 0;
    const siblings = dir.parent?.dirs ?? [];
    const next = siblings[siblings.indexOf(dir) + 1];
    w.u32(at, parentEntry);
    w.u32(at + 0x4, next?.entry ?? none);
    w.u32(at + 0x8, dir.dirs[0]?.entry ?? none);
    w.u32(at + 0xc, dir.files[0]?.entry ?? none);
    w.u32(at + 0x10, w.chain(dirHashOffset + (romfsNameHash(parentEntry, dir.name) % dirBuckets) * 4, dir.entry));
    w.u32(at + 0x14, dir.name.length);
    w.out.set(dir.name, at + romfsLayout.dirEntryHeader);
  }
  for (const { dir, file } of allFiles) {
    const at = fileTableOffset + file.entry;
    const next = dir.files[dir.files.indexOf(file) + 1];
    w.u32(at, dir.entry);
    w.u32(at + 0x4, next?.entry ?? none);
    w.u64(at + 0x8, file.offset);
    w.u64(at + 0x10, file.data.length);
    w.u32(at + 0x18, w.chain(fileHashOffset + (romfsNameHash(dir.entry, file.name) % fileBuckets) * 4, file.entry));
    w.u32(at + 0x1c, file.name.length);
    w.out.set(file.name, at + romfsLayout.fileEntryHeader);
    w.out.set(file.data, dataOffset + file.offset);
  }
  return w.out;
}
