/**
 * intake: recomp's own NCA extraction: the program NCA's ExeFS files and its RomFS, decrypted
 * while streaming (the RomFS of a game is gigabytes), into staging folders the caller renames.
 */
import { mkdir, open } from "node:fs/promises";
import { join } from "node:path";
import type { ByteSource } from "../formats/byte-source.js";
import { ncaSectionKey, ncaSectionSource, type NcaKeys } from "../formats/nca.js";
import { describeSectionKey, openNcaPfs0, openNcaRomfs, type NcaPfs0 } from "../formats/nca-section-fs.js";
import { entrySource, findEntry } from "../formats/partition-fs.js";
import { RecompError } from "../util/errors.js";
import type { XciContent } from "./xci-programs.js";

const copyChunk = 1 << 22;

/** Streams a source into a new file; the next chunk is read (and decrypted) while one is written. */
export async function copySourceToFile(source: ByteSource, path: string): Promise<void> {
  const handle = await open(path, "wx");
  const readAt = (at: number): Promise<Uint8Array> | undefined => (at < source.size ? source.read(at, Math.min(copyChunk, source.size - at)) : undefined);
  let pending = readAt(0);
  try {
    for (let at = 0; pending !== undefined; at += copyChunk) {
      const bytes = await pending;
      pending = readAt(at + copyChunk);
      await handle.write(bytes, 0, bytes.length, at);
    }
  } finally {
    // A read still in flight after a failed write must not become an unhandled rejection.
    await pending?.catch(() => undefined);
    await handle.close();
  }
}

/** A name from an archive that is safe as one path component. */
export function assertPlainName(name: string, what: string): void {
  if (name === "" || name === "." || name === ".." || /[/\\\0]/.test(name)) {
    throw new RecompError({
      code: "format_invalid",
      message: `${what} holds a file named ${JSON.stringify(name)}, which would escape its folder`,
      hint: "the image is corrupt or crafted; recomp writes nothing from it",
    });
  }
}

/** Opens the program's ExeFS (the PFS0 section with `main`) and RomFS (the RomFS section), if any. */
export async function openProgramSections(program: XciContent, keys: NcaKeys, verifyRomfs: boolean): Promise<{ exefs: NcaPfs0; romfs?: ByteSource }> {
  const key = ncaSectionKey(program.header, keys);
  const keyName = describeSectionKey(program.header, keys);
  let exefs: NcaPfs0 | undefined;
  let romfs: ByteSource | undefined;
  for (const section of program.header.sections) {
    if (section.fsType === "pfs0" && exefs === undefined) {
      const pfs0 = await openNcaPfs0(ncaSectionSource(program.source, section, key), section, keyName, program.name);
      if (findEntry(pfs0.fs, "main") !== undefined) exefs = pfs0;
    } else if (section.fsType === "romfs" && romfs === undefined) {
      romfs = await openNcaRomfs(ncaSectionSource(program.source, section, key), section, keyName, program.name, verifyRomfs);
    }
  }
  if (exefs === undefined) {
    throw new RecompError({ code: "format_invalid", message: `${program.name} has no ExeFS (a PFS0 section holding "main")`, hint: "choose the program NCA of a game, not a data or patch NCA" });
  }
  return { exefs, ...(romfs === undefined ? {} : { romfs }) };
}

/** Writes every ExeFS file into `exefsDir` and returns their names, sorted. */
export async function writeExefs(exefs: NcaPfs0, exefsDir: string, what: string): Promise<string[]> {
  for (const entry of exefs.fs.entries) assertPlainName(entry.name, `${what} ExeFS`);
  await mkdir(exefsDir, { recursive: true });
  for (const entry of exefs.fs.entries) await copySourceToFile(entrySource(exefs.source, entry), join(exefsDir, entry.name));
  return exefs.fs.entries.map((entry) => entry.name).sort();
}
