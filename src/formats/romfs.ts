/**
 * formats: RomFS directory and file tables. The tree is walked from the root through child and
 * sibling links; an entry reached twice (a loop or a shared subtree), a duplicate path, a name
 * that could escape or confuse a host file system (`/`, `\`, NUL, `.`, `..`, empty), and any
 * table or file range outside the image are errors.
 */
import type { ByteSource } from "./byte-source.js";
import { FieldView, expectRange, fieldError, readField } from "./fields.js";
import { romfsLayout } from "./romfs-layout.js";

export interface RomfsFile {
  /** Path from the RomFS root, `/`-separated, no leading slash. */
  path: string;
  /** Absolute offset of the file's bytes in the RomFS image. */
  offset: number;
  size: number;
}

export interface RomfsTree {
  format: "romfs";
  /** Every directory below the root, sorted, parents first. */
  directories: string[];
  /** Every file, sorted by path. */
  files: RomfsFile[];
  totalFileBytes: number;
}

interface Table {
  view: FieldView;
  start: number;
  size: number;
  what: string;
}

export async function parseRomfs(source: ByteSource): Promise<RomfsTree> {
  const label = source.label;
  const header = new FieldView(await readField(source, 0, romfsLayout.headerSize, "header"), 0, label);
  const headerSize = header.u64(0, "header.header_size");
  if (headerSize !== romfsLayout.headerSize) {
    throw fieldError(label, "header.header_size", 0, `expected 0x50, found 0x${headerSize.toString(16)}`, "this is not a RomFS image (or it is still inside an IVFC container)");
  }
  const table = async (at: number, what: string): Promise<Table> => {
    const start = header.u64(at, `header.${what}_offset`);
    const size = header.u64(at + 8, `header.${what}_size`);
    expectRange(label, `header.${what}`, at, start, size, source.size, "image");
    return { view: new FieldView(await source.read(start, size), start, label), start, size, what };
  };
  const dirs = await table(romfsLayout.dirTable, "directory_table");
  const files = await table(romfsLayout.fileTable, "file_table");
  const dataOffset = header.u64(romfsLayout.dataOffset, "header.data_offset");
  expectRange(label, "header.data_offset", romfsLayout.dataOffset, dataOffset, 0, source.size, "image");

  const tree: RomfsTree = { format: "romfs", directories: [], files: [], totalFileBytes: 0 };
  const seenDirs = new Set<number>();
  const seenFiles = new Set<number>();
  const paths = new Set<string>();
  const claim = (path: string, entryOffset: number, table: Table): void => {
    if (paths.has(path)) throw fieldError(label, `${table.what}[0x${entryOffset.toString(16)}]`, table.start + entryOffset, `duplicate path "${path}"`);
    paths.add(path);
  };

  // Directories still to list: entry offset and path. The root is the entry at offset 0.
  const pending: { entry: number; path: string }[] = [{ entry: 0, path: "" }];
  seenDirs.add(0);
  entryName(dirs, 0, romfsLayout.dirEntryHeader, 0x14, label);
  while (pending.length > 0) {
    const { entry: dirEntry, path: dirPath } = pending.pop() as { entry: number; path: string };
    let child = dirs.view.u32(dirEntry + 0x8);
    while (child !== romfsLayout.none) {
      visit(seenDirs, child, dirs, label);
      const name = entryName(dirs, child, romfsLayout.dirEntryHeader, 0x14, label);
      checkParent(dirs, child, dirEntry, label);
      const path = dirPath === "" ? name : `${dirPath}/${name}`;
      claim(path, child, dirs);
      tree.directories.push(path);
      pending.push({ entry: child, path });
      child = dirs.view.u32(child + 0x4);
    }
    let file = dirs.view.u32(dirEntry + 0xc);
    while (file !== romfsLayout.none) {
      visit(seenFiles, file, files, label);
      const name = entryName(files, file, romfsLayout.fileEntryHeader, 0x1c, label);
      checkParent(files, file, dirEntry, label);
      const path = dirPath === "" ? name : `${dirPath}/${name}`;
      claim(path, file, files);
      const offset = dataOffset + files.view.u64(file + 0x8, `${files.what}[0x${file.toString(16)}].offset`);
      const size = files.view.u64(file + 0x10, `${files.what}[0x${file.toString(16)}].size`);
      expectRange(label, `${files.what}[0x${file.toString(16)}].data`, files.start + file + 0x8, offset, size, source.size, "image");
      tree.files.push({ path, offset, size });
      tree.totalFileBytes += size;
      file = files.view.u32(file + 0x4);
    }
  }
  tree.directories.sort();
  tree.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return tree;
}

function visit(seen: Set<number>, entry: number, table: Table, label: string): void {
  if (seen.has(entry)) {
    throw fieldError(label, `${table.what}[0x${entry.toString(16)}]`, table.start + Math.min(entry, table.size), "entry is reached twice: the table has a loop");
  }
  seen.add(entry);
}

function checkParent(table: Table, entry: number, parent: number, label: string): void {
  const declared = table.view.u32(entry);
  if (declared !== parent) {
    throw fieldError(label, `${table.what}[0x${entry.toString(16)}].parent`, table.start + entry, `says parent 0x${declared.toString(16)}, but is listed under 0x${parent.toString(16)}`);
  }
}

/** Reads and validates an entry's name; the root directory (offset 0 of the directory table) has none. */
function entryName(table: Table, entry: number, headerSize: number, nameSizeAt: number, label: string): string {
  const field = `${table.what}[0x${entry.toString(16)}]`;
  expectRange(label, field, table.start + Math.min(entry, table.size), entry, headerSize, table.size, table.what.replace("_", " "));
  const nameSize = table.view.u32(entry + nameSizeAt);
  expectRange(label, `${field}.name`, table.start + entry + nameSizeAt, entry + headerSize, nameSize, table.size, table.what.replace("_", " "));
  const bytes = table.view.slice(entry + headerSize, nameSize);
  const isRoot = table.what === "directory_table" && entry === 0;
  if (isRoot) return "";
  const name = Buffer.from(bytes).toString("utf8");
  const problem =
    nameSize === 0
      ? "is empty"
      : bytes.includes(0)
        ? "contains NUL"
        : name.includes("/") || name.includes("\\")
          ? "contains a path separator"
          : name === "." || name === ".."
            ? "is a relative path component"
            : !Buffer.from(name, "utf8").equals(bytes)
              ? "is not valid UTF-8"
              : undefined;
  if (problem !== undefined) {
    throw fieldError(label, `${field}.name`, table.start + entry + headerSize, `name ${JSON.stringify(name)} ${problem}`, "a RomFS name must be one safe path component");
  }
  return name;
}
