/**
 * intake: finding the program NCA in an XCI's secure partition. Every NCA header is decrypted
 * (header_key); meta NCAs' cnmt records give each program its title version. Several programs
 * are told apart by title.toml's `program_title_id` / `program_version`; ambiguity is an error.
 */
import { basename } from "node:path";
import type { ByteSource } from "../formats/byte-source.js";
import { parseCnmt } from "../formats/cnmt.js";
import { ncaSectionKey, ncaSectionSource, parseNcaHeader, type NcaHeader, type NcaKeys } from "../formats/nca.js";
import { describeSectionKey, openNcaPfs0 } from "../formats/nca-section-fs.js";
import { entrySource } from "../formats/partition-fs.js";
import type { XciImage } from "../formats/xci.js";
import { RecompError } from "../util/errors.js";

export interface XciContent {
  /** File name inside the secure partition. */
  name: string;
  source: ByteSource;
  header: NcaHeader;
}

export interface ProgramCandidate extends XciContent {
  titleId: string;
  /** From the title's cnmt; undefined when no meta NCA names this program. */
  version?: number;
}

export interface ProgramChoice {
  programTitleId?: string;
  programVersion?: number;
}

export function securePartition(image: XciImage, xciLabel: string): NonNullable<XciImage["partitions"][number]> {
  const secure = image.partitions.find((partition) => partition.name === "secure");
  if (secure === undefined) {
    throw new RecompError({
      code: "format_invalid",
      message: `the XCI has no "secure" partition (it has: ${image.partitions.map((p) => p.name).join(", ") || "none"})`,
      location: { file: xciLabel },
      hint: "the image is incomplete; dump the whole game card",
    });
  }
  return secure;
}

/** Decrypts the header of every NCA in the secure partition. */
export async function listXciContents(image: XciImage, keys: NcaKeys, xciLabel: string): Promise<XciContent[]> {
  const secure = securePartition(image, xciLabel);
  const contents: XciContent[] = [];
  for (const entry of secure.fs.entries) {
    if (!entry.name.endsWith(".nca")) continue;
    const source = entrySource(secure.source, entry);
    contents.push({ name: entry.name, source, header: await parseNcaHeader(source, keys.keys) });
  }
  return contents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Program NCAs with title id and (from the meta NCAs) version. */
export async function listPrograms(contents: readonly XciContent[], keys: NcaKeys): Promise<ProgramCandidate[]> {
  const versions = new Map<string, number>();
  for (const meta of contents.filter((content) => content.header.contentType === "meta")) {
    const section = meta.header.sections[0];
    if (section === undefined) continue;
    const pfs0 = await openNcaPfs0(ncaSectionSource(meta.source, section, ncaSectionKey(meta.header, keys)), section, describeSectionKey(meta.header, keys), meta.name);
    for (const entry of pfs0.fs.entries.filter((e) => e.name.endsWith(".cnmt"))) {
      const cnmt = await parseCnmt(entrySource(pfs0.source, entry));
      for (const content of cnmt.contents) versions.set(content.ncaId, cnmt.version);
    }
  }
  return contents
    .filter((content) => content.header.contentType === "program")
    .map((content) => {
      const version = versions.get(basename(content.name, ".nca"));
      return { ...content, titleId: content.header.programId, ...(version === undefined ? {} : { version }) };
    });
}

export function describeCandidate(candidate: ProgramCandidate): string {
  return `${candidate.name} (title id ${candidate.titleId}, version ${candidate.version ?? "unknown"}, ${candidate.header.contentType})`;
}

/** The one program NCA the choice allows; none or several is an error listing the candidates. */
export function selectProgram(candidates: readonly ProgramCandidate[], choice: ProgramChoice, titleFile?: string): ProgramCandidate {
  const wantedId = choice.programTitleId?.toLowerCase().replace(/^0x/, "");
  const matching = candidates.filter(
    (candidate) => (wantedId === undefined || candidate.titleId === wantedId) && (choice.programVersion === undefined || candidate.version === choice.programVersion),
  );
  const [only] = matching;
  if (matching.length === 1 && only !== undefined) return only;
  const list = candidates.map((candidate) => `  ${describeCandidate(candidate)}`).join("\n");
  if (candidates.length === 0) {
    throw new RecompError({ code: "format_invalid", message: "the XCI's secure partition holds no program NCA", hint: "the image is not a game (an update-only or data card?)" });
  }
  throw new RecompError({
    code: "input_mismatch",
    message:
      matching.length === 0
        ? `no program NCA matches ${wantedId === undefined ? "" : `program_title_id ${wantedId} `}${choice.programVersion === undefined ? "" : `program_version ${choice.programVersion}`}; candidates:\n${list}`
        : `${matching.length} program NCAs match; choose one with program_title_id and program_version in title.toml; candidates:\n${list}`,
    location: titleFile === undefined ? {} : { file: titleFile, keyPath: "program_title_id" },
    hint: "set program_title_id (16 hex digits) and, when one title has several versions, program_version in title.toml",
  });
}
