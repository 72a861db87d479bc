/**
 * intake: the NRO asset section (icon, NACP, RomFS tree) written under the assets root, each
 * file streamed in bounded chunks and hashed on the way. Assets never go to the intake folder.
 */
import { createHash } from "node:crypto";
import { mkdir, open } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { IntakeFileRecord } from "../config/intake-module.js";
import { type ByteSource, subSource } from "../formats/byte-source.js";
import { parseNacp } from "../formats/nacp.js";
import type { NroAssets } from "../formats/nro.js";
import { parseRomfs } from "../formats/romfs.js";

const chunkSize = 1 << 20;

/** Where each asset goes, relative to the assets root. */
export const assetPaths = { icon: "icon.jpg", nacp: "control.nacp", romfs: "romfs" } as const;

async function copyRange(source: ByteSource, offset: number, size: number, root: string, path: string): Promise<IntakeFileRecord> {
  const target = join(root, ...path.split("/"));
  await mkdir(dirname(target), { recursive: true });
  const hash = createHash("sha256");
  const handle = await open(target, "wx");
  try {
    for (let done = 0; done < size; done += chunkSize) {
      const chunk = await source.read(offset + done, Math.min(chunkSize, size - done));
      hash.update(chunk);
      await handle.write(chunk);
    }
  } finally {
    await handle.close();
  }
  return { path, sha256: hash.digest("hex"), size };
}

/** Writes the NRO's assets under `root` (a staging folder) and returns their records, sorted. */
export async function writeNroAssets(source: ByteSource, assets: NroAssets, root: string): Promise<IntakeFileRecord[]> {
  const records: IntakeFileRecord[] = [];
  if (assets.icon !== undefined) records.push(await copyRange(source, assets.icon.offset, assets.icon.size, root, assetPaths.icon));
  if (assets.nacp !== undefined) {
    // Parsed first so that a NACP of the wrong size is an error, not an asset.
    await parseNacp(subSource(source, assets.nacp.offset, assets.nacp.size, `${source.label} (nacp)`));
    records.push(await copyRange(source, assets.nacp.offset, assets.nacp.size, root, assetPaths.nacp));
  }
  if (assets.romfs !== undefined) {
    const romfs = subSource(source, assets.romfs.offset, assets.romfs.size, `${source.label} (romfs)`);
    const tree = await parseRomfs(romfs);
    for (const directory of tree.directories) await mkdir(join(root, assetPaths.romfs, ...directory.split("/")), { recursive: true });
    for (const file of tree.files) records.push(await copyRange(romfs, file.offset, file.size, root, `${assetPaths.romfs}/${file.path}`));
  }
  return records.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
