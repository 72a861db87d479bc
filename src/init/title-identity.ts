// init: what a title says about itself (name, id, version) and how its main module is laid out,
// read from the NRO's NACP or an NSO folder's main.npdm (xci-identity.ts reads a game card).
import { readdir } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { subSource, withFileSource, type ByteSource } from "../formats/byte-source.js";
import { parseNacp } from "../formats/nacp.js";
import { parseNpdm } from "../formats/npdm.js";
import { parseNro } from "../formats/nro.js";
import { parseNso } from "../formats/nso.js";
import type { SegmentInfo } from "../formats/segment.js";
import { exefsModulePattern } from "../intake/xci-intake.js";
import { RecompError } from "../util/errors.js";

export interface TitleIdentity {
  name: string;
  /** 16 hex digits (homebrew NACPs usually carry zeros). */
  titleId: string;
  version: string;
  /** Where each value came from, for the comments of provenance.toml. */
  source: string;
}

/** The main module's segments, which title.toml maps at 0x10000000 (data covers .bss). */
export interface ModuleLayout {
  segments: readonly SegmentInfo[];
  bssSize: number;
}

export interface TitleFacts {
  layout: ModuleLayout;
  identity: TitleIdentity;
}

/** The NACP's first non-empty name and its display version; undefined parts fall back. */
export async function nacpIdentity(source: ByteSource): Promise<{ name?: string; titleId: string; version?: string }> {
  const nacp = await parseNacp(source);
  const name = nacp.titles.find((t) => t.name !== "")?.name;
  return { titleId: nacp.applicationId, ...(name === undefined ? {} : { name }), ...(nacp.displayVersion === "" ? {} : { version: nacp.displayVersion }) };
}

/** Reads the NRO's header and, when it has one, its NACP; falls back to the file name. */
export async function readNroFacts(path: string): Promise<TitleFacts> {
  return withFileSource(path, path, async (source) => {
    const nro = await parseNro(source);
    const layout = { segments: nro.segments, bssSize: nro.bssSize };
    const stem = basename(path, extname(path));
    const range = nro.assets?.nacp;
    if (range === undefined) return { layout, identity: { name: stem, titleId: "0000000000000000", version: "0.0.0", source: "the file name (the NRO has no NACP)" } };
    const nacp = await nacpIdentity(subSource(source, range.offset, range.size, `${path} (nacp)`));
    return { layout, identity: { name: nacp.name ?? stem, titleId: nacp.titleId, version: nacp.version ?? "0.0.0", source: "the NRO's NACP" } };
  });
}

/** A title version number (NPDM, CNMT) as it is usually written: v65536 is 1.0.1's update. */
export const numericVersion = (version: number): string => `v${version}`;

export interface NsoFolderFacts extends TitleFacts {
  main: string;
  npdm: string;
  /** ExeFS modules beside main (subsdk*, sdk, rtld): intake reads them; title.toml maps only main. */
  others: string[];
}

/** An ExeFS folder (main, main.npdm, maybe subsdk*): name, program id and version from main.npdm. */
export async function readNsoFolderFacts(folder: string): Promise<NsoFolderFacts> {
  const names = await readdir(folder);
  for (const needed of ["main", "main.npdm"]) {
    if (!names.includes(needed)) {
      throw new RecompError({
        code: "input_missing",
        message: `the NSO folder has no "${needed}"`,
        location: { file: join(folder, needed) },
        hint: "pass an ExeFS folder: the main NSO as \"main\" beside its \"main.npdm\" (as hactool --exefsdir writes them)",
      });
    }
  }
  const main = join(folder, "main");
  const npdm = join(folder, "main.npdm");
  const nso = await withFileSource(main, main, parseNso);
  const meta = await withFileSource(npdm, npdm, parseNpdm);
  const name = meta.name === "" ? basename(folder) : meta.name;
  return {
    layout: { segments: nso.segments, bssSize: nso.bssSize },
    identity: { name, titleId: meta.programId, version: numericVersion(meta.version), source: "main.npdm (META name and version, ACI0 program id)" },
    main,
    npdm,
    others: names.filter((n) => n !== "main" && exefsModulePattern.test(n)).sort(),
  };
}
