/**
 * Checks every kind of image recomp generates against a real hactool build (development only:
 * hactool is not on a fresh clone, so the test command never runs this):
 *   - `hactool -y` on the XCI (root and partition hashes) and on every NCA: each hash GOOD
 *     (signatures aside: fixtures are signed by no one), no section reported corrupted;
 *   - hactool's ExeFS and RomFS extraction of every program NCA equals recomp's (its own reader,
 *     every hash checked), byte for byte; each program's ExeFS also as a standalone PFS0.
 *
 *   npx tsx scripts/hactool-crosscheck.ts <path to a hactool binary> [--cases 16] [--seed 16] [--keep DIR]
 *
 * Exit 0 when everything agrees, 1 otherwise (each disagreement is printed).
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildPartitionFs } from "../src/formats/partition-fs-writer.js";
import { xciKeyAreaSize } from "../src/formats/xci.js";
import type { NcaKeys } from "../src/formats/nca.js";
import { extractNative, fixtureKeys, listTree, treeDifferences } from "./hactool-crosscheck/compare.js";
import { hactoolFor, readVerdicts, runHactool, type Hactool } from "./hactool-crosscheck/hactool.js";
import { generateImages, type GeneratedImage } from "./hactool-crosscheck/images.js";
import { readableByHactool } from "./hactool-crosscheck/nca2-plaintext.js";

interface ImageReport {
  name: string;
  ncas: number;
  good: number;
  failed: string[];
  files: number;
  bytes: number;
}

/** The image as hactool reads it: without the card key area some dumps keep in front (hactool has no option for it). */
async function hactoolXci(image: GeneratedImage, work: string): Promise<string> {
  if (!image.keyAreaPrefix) return image.fixture.xci;
  const stripped = join(work, "without-key-area.xci");
  await writeFile(stripped, (await readFile(image.fixture.xci)).subarray(xciKeyAreaSize));
  return stripped;
}

/**
 * `hactool -y` over the XCI and every NCA in its secure partition; returns the NCAs as hactool
 * is given them (NCA2 decrypted, see nca2-plaintext.ts).
 */
async function verifyHashes(tool: Hactool, image: GeneratedImage, keys: NcaKeys, work: string): Promise<{ ncas: Map<string, string>; good: number; failed: string[] }> {
  const secure = join(work, "secure");
  const verdicts = [readVerdicts(await runHactool(tool, ["-k", image.fixture.keys, "-y", "-t", "xci", `--securedir=${secure}`, await hactoolXci(image, work)]), "xci")];
  const ncas = new Map<string, string>();
  await mkdir(join(work, "decrypted"));
  for (const nca of (await readdir(secure)).sort()) {
    const path = await readableByHactool(join(secure, nca), keys, join(work, "decrypted", nca));
    ncas.set(nca, path);
    verdicts.push(readVerdicts(await runHactool(tool, ["-k", image.fixture.keys, "-y", "-t", "nca", path]), path === join(secure, nca) ? nca : `${nca} (NCA2, decrypted)`));
  }
  return { ncas, good: verdicts.reduce((sum, v) => sum + v.good.length, 0), failed: verdicts.flatMap((v) => v.failed) };
}

/** hactool's ExeFS/RomFS extraction of each program NCA against recomp's. */
async function compareExtraction(tool: Hactool, image: GeneratedImage, ncas: ReadonlyMap<string, string>, work: string): Promise<{ files: number; bytes: number; failed: string[] }> {
  const failed: string[] = [];
  const native = await extractNative(image.fixture, join(work, "recomp")).catch((error: unknown) => {
    failed.push(`recomp rejects the image: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  });
  let files = 0;
  let bytes = 0;
  for (const program of native) {
    const out = join(work, "hactool", program.nca);
    // hactool creates only the last folder of --exefsdir/--romfsdir (and exits 0 having written nothing otherwise).
    await mkdir(out, { recursive: true });
    const romfs = program.romfsDir === undefined ? [] : [`--romfsdir=${join(out, "romfs")}`];
    await runHactool(tool, ["-k", image.fixture.keys, "-t", "nca", `--exefsdir=${join(out, "exefs")}`, ...romfs, ncas.get(program.nca) ?? program.nca]);
    for (const [kind, dir] of [["exefs", program.exefsDir], ["romfs", program.romfsDir]] as const) {
      if (dir === undefined) continue;
      const expected = await listTree(dir);
      failed.push(...treeDifferences(expected, await listTree(join(out, kind)).catch(() => []), `${program.nca} ${kind}`));
      files += expected.filter((entry) => entry.digest !== "dir").length;
      bytes += expected.reduce((sum, entry) => sum + entry.size, 0);
    }
  }
  return { files, bytes, failed };
}

/** Each program's ExeFS written as a standalone PFS0 and unpacked by `hactool -t pfs0`. */
async function comparePfs0(tool: Hactool, image: GeneratedImage, work: string): Promise<string[]> {
  const failed: string[] = [];
  for (const [i, files] of image.exefs.entries()) {
    const pfs0 = join(work, `exefs-${i}.pfs0`);
    await writeFile(pfs0, buildPartitionFs("PFS0", files));
    const out = join(work, `exefs-${i}`);
    await runHactool(tool, ["-t", "pfs0", `--outdir=${out}`, pfs0]);
    const written = await listTree(out);
    for (const file of files) {
      const entry = written.find((w) => w.path === file.name);
      const digest = createHash("sha256").update(file.data).digest("hex");
      if (entry?.digest !== digest) failed.push(`${pfs0}: ${file.name} ${entry === undefined ? "missing" : "differs"}`);
    }
    if (written.length !== files.length) failed.push(`${pfs0}: hactool wrote ${written.length} files for ${files.length}`);
  }
  return failed;
}

async function checkImage(hactool: string, image: GeneratedImage, root: string): Promise<ImageReport> {
  const work = join(root, "check", image.name);
  await mkdir(work, { recursive: true });
  const tool = await hactoolFor(hactool, join(work, "home"), resolve(image.fixture.keys), resolve(image.fixture.titleKeys));
  const keys = await fixtureKeys(image.fixture);
  const hashes = await verifyHashes(tool, image, keys, work);
  const extraction = await compareExtraction(tool, image, hashes.ncas, work);
  const pfs0 = await comparePfs0(tool, image, work);
  return { name: image.name, ncas: hashes.ncas.size, good: hashes.good, failed: [...hashes.failed, ...extraction.failed, ...pfs0], files: extraction.files, bytes: extraction.bytes };
}

function report(rows: readonly ImageReport[]): string {
  const lines = [`${"image".padEnd(26)} NCAs  hashes GOOD  FAIL  files compared  bytes compared  result`];
  for (const row of rows) {
    const cells = [row.name.padEnd(26), String(row.ncas).padStart(4), String(row.good).padStart(12), String(row.failed.length).padStart(5), String(row.files).padStart(15), String(row.bytes).padStart(15)];
    lines.push(`${cells.join(" ")}  ${row.failed.length === 0 ? "agree" : "DISAGREE"}`);
  }
  for (const row of rows) for (const line of row.failed) lines.push(`  ${row.name}: ${line}`);
  const total = (key: "ncas" | "good" | "files" | "bytes"): number => rows.reduce((sum, row) => sum + row[key], 0);
  const bad = rows.filter((row) => row.failed.length > 0).length;
  lines.push(`${rows.length} images, ${total("ncas")} NCAs, ${total("good")} hashes GOOD, ${total("files")} files (${total("bytes")} bytes) compared: ${bad === 0 ? "all agree" : `${bad} disagree`}`);
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { cases: { type: "string", default: "16" }, seed: { type: "string", default: "16" }, keep: { type: "string" } } });
  const hactool = positionals[0];
  if (hactool === undefined) {
    process.stderr.write("usage: npx tsx scripts/hactool-crosscheck.ts <path to hactool> [--cases N] [--seed S] [--keep DIR]\n");
    return 2;
  }
  const root = values.keep === undefined ? await mkdtemp(join(tmpdir(), "recomp-hactool-crosscheck-")) : resolve(values.keep);
  try {
    const images = await generateImages(join(root, "images"), Number(values.cases), Number(values.seed));
    const rows: ImageReport[] = [];
    for (const image of images) rows.push(await checkImage(resolve(hactool), image, root));
    process.stdout.write(report(rows));
    return rows.every((row) => row.failed.length === 0) ? 0 : 1;
  } finally {
    if (values.keep === undefined) await rm(root, { recursive: true, force: true });
  }
}

process.exitCode = await main();
