/**
 * intake: writes a parsed RomFS tree into a folder (the assets root). parseRomfs already rejects
 * unsafe names; every target path is checked to lie inside the folder anyway, before any write.
 */
import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { subSource, type ByteSource } from "../formats/byte-source.js";
import { parseRomfs, type RomfsTree } from "../formats/romfs.js";
import { RecompError } from "../util/errors.js";
import { isInside } from "./asset-separation.js";
import { copySourceToFile } from "./xci-extract.js";

function target(dir: string, path: string): string {
  const full = resolve(dir, ...path.split("/"));
  if (!isInside(full, dir) || full === resolve(dir)) {
    throw new RecompError({
      code: "asset_separation",
      message: `RomFS path ${JSON.stringify(path)} would be written outside the assets folder`,
      hint: "the RomFS is corrupt or crafted; nothing was written",
    });
  }
  return full;
}

/** Parses the RomFS image and writes its directories and files under `dir`; returns the tree. */
export async function extractRomfs(romfs: ByteSource, dir: string): Promise<RomfsTree> {
  const tree = await parseRomfs(romfs);
  const directories = tree.directories.map((path) => target(dir, path));
  const files = tree.files.map((file) => ({ file, path: target(dir, file.path) }));
  await mkdir(dir, { recursive: true });
  for (const directory of directories) await mkdir(directory, { recursive: true });
  for (const { file, path } of files) await copySourceToFile(subSource(romfs, file.offset, file.size, `${romfs.label}/${file.path}`), path);
  return tree;
}
