// init: what a game card says about its title: the program NCA (as intake selects it), its
// ExeFS's main.npdm and main NSO, the CNMT's version and, when the control NCA holds one, the NACP.
// Decryption uses the user's keyset, exactly as XCI intake does.
import { basename, extname } from "node:path";
import { openFileSource, subSource, type ByteSource } from "../formats/byte-source.js";
import { loadKeyset } from "../formats/keyset.js";
import { ncaSectionKey, ncaSectionSource, type NcaKeys } from "../formats/nca.js";
import { describeSectionKey, openNcaRomfs } from "../formats/nca-section-fs.js";
import { parseNpdm } from "../formats/npdm.js";
import { parseNso } from "../formats/nso.js";
import { entrySource, findEntry } from "../formats/partition-fs.js";
import { parseRomfs } from "../formats/romfs.js";
import { openXci } from "../formats/xci.js";
import { openProgramSections } from "../intake/xci-extract.js";
import { exefsModulePattern } from "../intake/xci-intake.js";
import { listPrograms, listXciContents, selectProgram, type XciContent } from "../intake/xci-programs.js";
import { RecompError } from "../util/errors.js";
import { nacpIdentity, numericVersion, type TitleFacts } from "./title-identity.js";

export interface XciFacts extends TitleFacts {
  /** ExeFS modules beside main: intake reads them; title.toml maps only main. */
  others: string[];
}

export async function readXciFacts(xci: string, keysFile: string, titleKeysFile?: string): Promise<XciFacts> {
  const keys: NcaKeys = { keys: await loadKeyset(keysFile), ...(titleKeysFile === undefined ? {} : { titleKeys: await loadKeyset(titleKeysFile) }) };
  const source = await openFileSource(xci, xci);
  try {
    const contents = await listXciContents(await openXci(source), keys, xci);
    const program = selectProgram(await listPrograms(contents, keys), {});
    const { exefs } = await openProgramSections(program, keys, false);
    const exefsFile = (name: string): ByteSource => {
      const entry = findEntry(exefs.fs, name);
      if (entry === undefined) {
        throw new RecompError({ code: "format_invalid", message: `${program.name}'s ExeFS has no "${name}"`, location: { file: xci }, hint: "the program NCA is damaged or not a game's" });
      }
      return subSource(entrySource(exefs.source, entry), 0, entry.size, `${xci} (${program.name} ExeFS ${name})`);
    };
    const nso = await parseNso(exefsFile("main"));
    const npdm = await parseNpdm(exefsFile("main.npdm"));
    const nacp = await controlNacp(contents, program.titleId, keys);
    const version = nacp?.version ?? (program.version === undefined ? numericVersion(npdm.version) : numericVersion(program.version));
    const name = nacp?.name ?? (npdm.name === "" ? basename(xci, extname(xci)) : npdm.name);
    const from = [nacp?.name === undefined ? "main.npdm's name" : "the NACP's name", `${program.name}'s program id`, nacp?.version === undefined ? (program.version === undefined ? "main.npdm's version" : "the CNMT's version") : "the NACP's display version"];
    return {
      layout: { segments: nso.segments, bssSize: nso.bssSize },
      identity: { name, titleId: program.titleId, version, source: from.join(", ") },
      others: exefs.fs.entries.map((e) => e.name).filter((n) => n !== "main" && exefsModulePattern.test(n)).sort(),
    };
  } finally {
    await source.close();
  }
}

/** The NACP (control.nacp in the RomFS of the title's control NCA), if the card has one. */
async function controlNacp(contents: readonly XciContent[], titleId: string, keys: NcaKeys): Promise<Awaited<ReturnType<typeof nacpIdentity>> | undefined> {
  const control = contents.find((c) => c.header.contentType === "control" && c.header.programId === titleId);
  const section = control?.header.sections.find((s) => s.fsType === "romfs");
  if (control === undefined || section === undefined) return undefined;
  const romfs = await openNcaRomfs(ncaSectionSource(control.source, section, ncaSectionKey(control.header, keys)), section, describeSectionKey(control.header, keys), control.name);
  const file = (await parseRomfs(romfs)).files.find((f) => f.path === "control.nacp");
  return file === undefined ? undefined : nacpIdentity(subSource(romfs, file.offset, file.size, `${control.name} control.nacp`));
}
