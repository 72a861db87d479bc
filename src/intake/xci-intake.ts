/**
 * intake: XCI mode. Checks provenance and asset separation, decrypts the card's NCA headers with
 * the user's keys, selects the program NCA, and writes its ExeFS (plus manifest.json) to the
 * intake folder and its RomFS tree to the assets root. Everything is built in staging folders and
 * renamed into place at the end: a failure leaves nothing behind.
 */
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { openFileSource } from "../formats/byte-source.js";
import { loadKeyset, type Keyset } from "../formats/keyset.js";
import type { NcaKeys } from "../formats/nca.js";
import { openXci } from "../formats/xci.js";
import { canonicalJsonPretty } from "../util/canonical-json.js";
import type { XciIntakeManifest } from "../config/xci-intake-manifest.js";
import { assertNotInside, assertOutsideGitWorkTree } from "./asset-separation.js";
import { listFileDigests } from "./file-digests.js";
import { requireProvenanceInput, verifyProvenance, type VerifiedInput } from "./provenance.js";
import { extractRomfs } from "./romfs-extract.js";
import { copySourceToFile, openProgramSections, writeExefs } from "./xci-extract.js";
import { listPrograms, listXciContents, selectProgram, type ProgramCandidate, type ProgramChoice } from "./xci-programs.js";
import { resolveExternalTool, runExtractNca, type ExternalToolInfo, type XciTool } from "./xci-tools.js";

export interface IntakeXciOptions {
  xci: string;
  /** prod.keys */
  keys: string;
  /** title.keys, for titles whose NCAs carry a rights id. */
  titleKeys?: string;
  provenance: string;
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
}

export interface IntakeXciResult {
  manifest: XciIntakeManifest;
  program: ProgramCandidate;
}

async function recompVersion(): Promise<string> {
  const text = await readFile(new URL("../../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}

function inputRecord(input: VerifiedInput, role: string): XciIntakeManifest["inputs"][number] {
  return { role, path: input.entry.path, format: input.entry.format, sha256: input.entry.sha256.toLowerCase(), size: input.entry.size };
}

/** Runs XCI intake; see IntakeXciOptions. Returns the manifest it wrote. */
export async function intakeXci(options: IntakeXciOptions): Promise<IntakeXciResult> {
  const outDir = resolve(options.outDir);
  const assetsDir = resolve(options.assetsDir);
  const tool = options.tool ?? "native";
  // Everything that can be checked before writing is checked first.
  const verified = await verifyProvenance(options.provenance);
  const inputs = [
    inputRecord(requireProvenanceInput(verified, resolve(options.xci), "XCI image", ["xci"]), "xci"),
    inputRecord(requireProvenanceInput(verified, resolve(options.keys), "keyset", ["keyset"]), "keys"),
  ];
  if (options.titleKeys !== undefined) inputs.push(inputRecord(requireProvenanceInput(verified, resolve(options.titleKeys), "title keyset", ["keyset"]), "title_keys"));
  await assertOutsideGitWorkTree(assetsDir, "assets dir");
  assertNotInside(assetsDir, outDir, "assets dir", "intake output dir");
  const external: ExternalToolInfo | undefined = tool === "native" ? undefined : await resolveExternalTool(tool, options.toolPath);
  const keys: NcaKeys = { keys: await loadKeyset(options.keys), ...(options.titleKeys === undefined ? {} : { titleKeys: await loadKeyset(options.titleKeys) }) };

  const xci = await openFileSource(resolve(options.xci), options.xci);
  const outStage = `${outDir}.staging-${process.pid}`;
  const romfsDir = join(assetsDir, "romfs");
  const assetsStage = join(assetsDir, `.romfs.staging-${process.pid}`);
  try {
    const image = await openXci(xci, { verify: options.verify === true });
    const contents = await listXciContents(image, keys, options.xci);
    const program = selectProgram(await listPrograms(contents, keys), options.choice ?? {}, options.titleFile);
    const sections = await openProgramSections(program, keys, options.verify === true);
    await rm(outStage, { recursive: true, force: true });
    await rm(assetsStage, { recursive: true, force: true });
    await mkdir(outStage, { recursive: true });
    await mkdir(assetsStage, { recursive: true });
    if (external === undefined) {
      await writeExefs(sections.exefs, join(outStage, "exefs"), program.name);
      if (sections.romfs !== undefined) await extractRomfs(sections.romfs, assetsStage);
    } else {
      await extractWithTool(external, program, keys, { ...options, outStage, assetsStage });
    }
    const manifest: XciIntakeManifest = {
      schema_version: "1",
      kind: "xci_intake",
      inputs: inputs.sort((a, b) => a.role.localeCompare(b.role)),
      program: {
        nca: program.name,
        title_id: program.titleId,
        ...(program.version === undefined ? {} : { version: program.version }),
        nca_magic: program.header.magic,
        key_generation: program.header.keyGeneration,
        ...(program.header.rightsId === undefined ? {} : { rights_id: program.header.rightsId }),
        sdk_addon_version: program.header.sdkAddonVersion,
        exefs: sections.exefs.fs.entries.map((entry) => entry.name).sort(),
      },
      tool: external === undefined ? { name: "recomp", version: await recompVersion() } : { name: external.name, version: external.version, sha256: external.sha256 },
      files: await listFileDigests(outStage),
      assets: (await listFileDigests(assetsStage)).map((entry) => ({ ...entry, path: `romfs/${entry.path}` })),
    };
    await writeFile(join(outStage, "manifest.json"), canonicalJsonPretty(manifest));
    await mkdir(dirname(outDir), { recursive: true });
    await rm(outDir, { recursive: true, force: true });
    await rename(outStage, outDir);
    await rm(romfsDir, { recursive: true, force: true });
    await rename(assetsStage, romfsDir);
    return { manifest, program };
  } finally {
    await xci.close();
    await rm(outStage, { recursive: true, force: true });
    await rm(assetsStage, { recursive: true, force: true });
  }
}

async function extractWithTool(
  tool: ExternalToolInfo,
  program: ProgramCandidate,
  keys: NcaKeys,
  paths: IntakeXciOptions & { outStage: string; assetsStage: string },
): Promise<void> {
  // The NCA is copied out still encrypted, next to the assets (proprietary bytes stay on that side).
  const nca = `${paths.assetsStage}.nca`;
  await copySourceToFile(program.source, nca);
  const redact = (text: string): string => [keys.keys, keys.titleKeys].reduce((out, set: Keyset | undefined) => set?.redact(out) ?? out, text);
  try {
    await runExtractNca(
      tool,
      { keys: resolve(paths.keys), ...(paths.titleKeys === undefined ? {} : { titleKeys: resolve(paths.titleKeys) }), nca, exefsDir: join(paths.outStage, "exefs"), romfsDir: paths.assetsStage },
      redact,
    );
  } finally {
    await rm(nca, { force: true });
  }
}
