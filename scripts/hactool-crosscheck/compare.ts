/**
 * scripts/hactool-crosscheck: what recomp extracts from an image (its own reader, every hash
 * checked as `--verify` does) and a byte-for-byte comparison of two extracted folders.
 */
import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { withFileSource } from "../../src/formats/byte-source.js";
import { loadKeyset } from "../../src/formats/keyset.js";
import type { NcaKeys } from "../../src/formats/nca.js";
import type { XciFixture } from "../../src/formats/testing/xci-fixture.js";
import { openXci } from "../../src/formats/xci.js";
import { extractRomfs } from "../../src/intake/romfs-extract.js";
import { openProgramSections, writeExefs } from "../../src/intake/xci-extract.js";
import { listPrograms, listXciContents } from "../../src/intake/xci-programs.js";

export interface NativeProgram {
  nca: string;
  exefsDir: string;
  romfsDir?: string;
}

export async function fixtureKeys(fixture: XciFixture): Promise<NcaKeys> {
  // title.keys is an empty line when no program uses a ticket.
  const hasTitleKeys = (await readFile(fixture.titleKeys, "utf8")).trim() !== "";
  return { keys: await loadKeyset(fixture.keys), ...(hasTitleKeys ? { titleKeys: await loadKeyset(fixture.titleKeys) } : {}) };
}

/** Extracts every program NCA of the image with recomp's reader into `<out>/<nca>/{exefs,romfs}`. */
export async function extractNative(fixture: XciFixture, out: string): Promise<NativeProgram[]> {
  const keys = await fixtureKeys(fixture);
  return withFileSource(fixture.xci, fixture.xci, async (source) => {
    const image = await openXci(source, { verify: true });
    const programs: NativeProgram[] = [];
    for (const program of await listPrograms(await listXciContents(image, keys, fixture.xci), keys)) {
      const sections = await openProgramSections(program, keys, true);
      const exefsDir = join(out, program.name, "exefs");
      await writeExefs(sections.exefs, exefsDir, program.name);
      const romfsDir = sections.romfs === undefined ? undefined : join(out, program.name, "romfs");
      if (sections.romfs !== undefined && romfsDir !== undefined) await extractRomfs(sections.romfs, romfsDir);
      programs.push({ nca: program.name, exefsDir, ...(romfsDir === undefined ? {} : { romfsDir }) });
    }
    return programs;
  });
}

export interface TreeEntry {
  path: string;
  /** `dir`, or the file's size and SHA-256. */
  digest: string;
  size: number;
}

/** Every folder and file under `root`, sorted by path; files with size and SHA-256. */
export async function listTree(root: string): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    const full = join(entry.parentPath, entry.name);
    const path = full.slice(root.length + 1);
    if (entry.isDirectory()) out.push({ path: `${path}/`, digest: "dir", size: 0 });
    else {
      const bytes = await readFile(full);
      out.push({ path, digest: createHash("sha256").update(bytes).digest("hex"), size: bytes.length });
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The differences between two trees, as readable lines (empty when identical). */
export function treeDifferences(expected: readonly TreeEntry[], actual: readonly TreeEntry[], what: string): string[] {
  const byPath = new Map(actual.map((entry) => [entry.path, entry]));
  const differences: string[] = [];
  for (const entry of expected) {
    const other = byPath.get(entry.path);
    if (other === undefined) differences.push(`${what}: ${entry.path} missing from hactool's output`);
    else if (other.digest !== entry.digest) differences.push(`${what}: ${entry.path} differs (${entry.size} vs ${other.size} bytes)`);
    byPath.delete(entry.path);
  }
  for (const path of byPath.keys()) differences.push(`${what}: ${path} only in hactool's output`);
  return differences;
}
