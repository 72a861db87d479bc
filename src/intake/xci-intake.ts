/**
 * intake: XCI mode. Checks provenance and asset separation, decrypts the card's NCA headers with
 * the user's keys, selects the program NCA, and writes its ExeFS, the segments of every NSO in it
 * (`segments/<module>/...`, through the homebrew module reader), module.json and manifest.json to
 * the intake folder, and its RomFS tree to `<assets root>/romfs`. Everything is built in staging
 * folders and swapped into place at the end: a failure leaves nothing behind.
 */
import { readdir, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { IntakeManifest, IntakeModule } from "../config/intake-module.js";
import { openFileSource, withFileSource } from "../formats/byte-source.js";
import { loadKeyset, type Keyset } from "../formats/keyset.js";
import type { NcaKeys } from "../formats/nca.js";
import { openXci } from "../formats/xci.js";
import { canonicalJsonPretty } from "../util/canonical-json.js";
import { sha256File } from "../util/hash.js";
import { recompVersion } from "../util/version.js";
import { assertNotInside, assertOutsideGitWorkTree } from "./asset-separation.js";
import { listFileDigests } from "./file-digests.js";
import { assetPaths } from "./homebrew-assets.js";
import { loadModule } from "./homebrew-modules.js";
import { requireProvenanceInput, verifyProvenance, type VerifiedInput, type VerifiedProvenance } from "./provenance.js";
import { extractRomfs } from "./romfs-extract.js";
import { assetsRootMarker, commitFolder, discardFolder, intakeFolderMarker, stageFolder, type StagedFolder } from "./staged-folder.js";
import { copySourceToFile, openProgramSections, writeExefs } from "./xci-extract.js";
import { listPrograms, listXciContents, selectProgram, type ProgramCandidate, type ProgramChoice } from "./xci-programs.js";
import { resolveExternalTool, runExtractNca, type ExpectedExtraction, type ExternalToolInfo, type XciTool } from "./xci-tools.js";

export interface IntakeXciOptions {
  xci: string;
  /** prod.keys */
  keys: string;
  /** title.keys, for titles whose NCAs carry a rights id. */
  titleKeys?: string;
  /** provenance.toml, or the provenance the engine already verified (a multi-GB image is then not hashed twice). */
  provenance: string | VerifiedProvenance;
  outDir: string;
  /** Assets root: the RomFS tree goes to `<assetsDir>/romfs`. */
  assetsDir: string;
  tool?: XciTool;
  toolPath?: string;
  /** From title.toml: which program NCA when the card holds several. */
  choice?: ProgramChoice;
  /** title.toml, named in selection errors. */
  titleFile?: string;
  /** Check every HFS0 hash and the RomFS IVFC tree too (reads the whole image). */
  verify?: boolean;
  /** Other output folders the assets root must stay apart from (build, lift, ...). */
  otherOutputs?: readonly { path: string; what: string }[];
}

export interface IntakeXciResult {
  manifest: IntakeManifest;
  /** module.json: every ExeFS NSO (main, subsdk*, ...) with its segments. */
  module: IntakeModule;
  program: ProgramCandidate;
}

function inputRecord({ entry }: VerifiedInput): IntakeManifest["inputs"][number] {
  return { path: entry.path, sha256: entry.sha256.toLowerCase(), size: entry.size, format: entry.format, role: entry.role };
}

const byPath = <T extends { path: string }>(a: T, b: T): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

function programRecord(program: ProgramCandidate, exefs: readonly string[]): NonNullable<IntakeManifest["program"]> {
  const { header } = program;
  return {
    nca: program.name,
    title_id: program.titleId,
    ...(program.version === undefined ? {} : { version: program.version }),
    nca_magic: header.magic,
    key_generation: header.keyGeneration,
    ...(header.rightsId === undefined ? {} : { rights_id: header.rightsId }),
    sdk_addon_version: header.sdkAddonVersion,
    exefs: [...exefs].sort(),
  };
}

/** Runs XCI intake; see IntakeXciOptions. Returns the manifest it wrote. */
export async function intakeXci(options: IntakeXciOptions): Promise<IntakeXciResult> {
  const outDir = resolve(options.outDir);
  const assetsDir = resolve(options.assetsDir);
  const tool = options.tool ?? "native";
  // Everything that can be checked before writing is checked first.
  const verified = typeof options.provenance === "string" ? await verifyProvenance(options.provenance) : options.provenance;
  const inputs = [
    inputRecord(requireProvenanceInput(verified, resolve(options.xci), "XCI image", ["xci"])),
    inputRecord(requireProvenanceInput(verified, resolve(options.keys), "keyset", ["keyset"])),
  ];
  if (options.titleKeys !== undefined) inputs.push(inputRecord(requireProvenanceInput(verified, resolve(options.titleKeys), "title keyset", ["keyset"])));
  assertOutsideGitWorkTree(assetsDir, "assets root");
  assertNotInside(assetsDir, outDir, "assets root", "intake folder");
  for (const other of options.otherOutputs ?? []) assertNotInside(assetsDir, other.path, "assets root", other.what);
  const external: ExternalToolInfo | undefined = tool === "native" ? undefined : await resolveExternalTool(tool, options.toolPath);
  const keys: NcaKeys = { keys: await loadKeyset(options.keys), ...(options.titleKeys === undefined ? {} : { titleKeys: await loadKeyset(options.titleKeys) }) };

  const xci = await openFileSource(resolve(options.xci), options.xci);
  try {
    const image = await openXci(xci, { verify: options.verify === true });
    const contents = await listXciContents(image, keys, options.xci);
    const program = selectProgram(await listPrograms(contents, keys), options.choice ?? {}, options.titleFile);
    const sections = await openProgramSections(program, keys, options.verify === true);
    const out = await stageFolder(outDir, intakeFolderMarker, "intake folder");
    let assets: StagedFolder | undefined;
    try {
      assets = await stageFolder(assetsDir, assetsRootMarker, "assets root");
      const exefsDir = join(out.staging, "exefs");
      const romfsDir = join(assets.staging, assetPaths.romfs);
      if (external === undefined) {
        await writeExefs(sections.exefs, exefsDir, program.name);
        if (sections.romfs !== undefined) await extractRomfs(sections.romfs, romfsDir);
      } else {
        const expected = { nca: program.name, exefs: sections.exefs.fs.entries.map((entry) => entry.name), romfs: sections.romfs !== undefined };
        await extractWithTool(external, program, keys, expected, { keys: options.keys, titleKeys: options.titleKeys, nca: `${assets.staging}.nca`, exefsDir, romfsDir });
      }
      const moduleJson = await writeExefsModules(exefsDir, out.staging);
      await writeFile(join(out.staging, "module.json"), canonicalJsonPretty(moduleJson));
      const manifest: IntakeManifest = {
        schema_version: "1",
        stage: "intake",
        mode: "xci",
        inputs: inputs.sort(byPath),
        program: programRecord(program, sections.exefs.fs.entries.map((entry) => entry.name)),
        tool: external === undefined ? { name: "recomp", version: recompVersion() } : { name: external.name, version: external.version, sha256: external.sha256 },
        files: await listFileDigests(out.staging),
        assets: await listFileDigests(assets.staging),
      };
      await writeFile(join(assets.staging, assetsRootMarker), "written by `recomp intake xci`; replaced on every run\n");
      await writeFile(join(out.staging, intakeFolderMarker), canonicalJsonPretty(manifest));
      await commitFolder(out);
      await commitFolder(assets);
      return { manifest, module: moduleJson, program };
    } catch (error) {
      await discardFolder(out);
      if (assets !== undefined) await discardFolder(assets);
      throw error;
    }
  } finally {
    await xci.close();
  }
}

/** ExeFS names that are NSO modules (the NPDM and anything else are not). */
export const exefsModulePattern = /^(rtld|main|subsdk\d+|sdk)$/;

/** Loads every ExeFS NSO through the homebrew module reader and writes its segments. */
async function writeExefsModules(exefsDir: string, root: string): Promise<IntakeModule> {
  const names = (await readdir(exefsDir)).filter((name) => exefsModulePattern.test(name)).sort();
  const modules: IntakeModule["modules"] = [];
  for (const name of names) {
    const path = join(exefsDir, name);
    const digest = await sha256File(path);
    const loaded = await withFileSource(path, `exefs/${name}`, (source) => loadModule(source, { name, format: "nso", input: { path: `exefs/${name}`, ...digest } }, root));
    modules.push(loaded.entry);
  }
  return { schema_version: "1", mode: "xci", arch: "aarch64", modules };
}

/** The NCA is copied out still encrypted, beside the assets staging folder (proprietary bytes stay on that side). */
async function extractWithTool(
  tool: ExternalToolInfo,
  program: ProgramCandidate,
  keys: NcaKeys,
  expected: ExpectedExtraction,
  paths: { keys: string; titleKeys: string | undefined; nca: string; exefsDir: string; romfsDir: string },
): Promise<void> {
  await copySourceToFile(program.source, paths.nca);
  const redact = (text: string): string => [keys.keys, keys.titleKeys].reduce((out, set: Keyset | undefined) => set?.redact(out) ?? out, text);
  try {
    const titleKeys = paths.titleKeys === undefined ? {} : { titleKeys: resolve(paths.titleKeys) };
    await runExtractNca(tool, { keys: resolve(paths.keys), ...titleKeys, nca: paths.nca, exefsDir: paths.exefsDir, romfsDir: paths.romfsDir }, expected, redact);
  } finally {
    await rm(paths.nca, { force: true });
  }
}
