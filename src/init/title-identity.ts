// init: what a title says about itself: name, id and version from the NRO's NACP (homebrew).
import { parseNacp } from "../formats/nacp.js";
import { parseNro, type NroInfo } from "../formats/nro.js";
import { subSource, withFileSource } from "../formats/byte-source.js";
import { basename, extname } from "node:path";

export interface TitleIdentity {
  name: string;
  /** 16 hex digits (homebrew NACPs usually carry zeros). */
  titleId: string;
  version: string;
  /** Where each value came from, for the comments of provenance.toml. */
  source: string;
}

export interface NroFacts {
  nro: NroInfo;
  identity: TitleIdentity;
}

/** Reads the NRO's header and, when it has one, its NACP; falls back to the file name. */
export async function readNroFacts(path: string): Promise<NroFacts> {
  return withFileSource(path, path, async (source) => {
    const nro = await parseNro(source);
    const range = nro.assets?.nacp;
    const fallback: TitleIdentity = { name: basename(path, extname(path)), titleId: "0000000000000000", version: "0.0.0", source: "the file name (the NRO has no NACP)" };
    if (range === undefined) return { nro, identity: fallback };
    const nacp = await parseNacp(subSource(source, range.offset, range.size, `${path} (nacp)`));
    const title = nacp.titles.find((t) => t.name !== "");
    return {
      nro,
      identity: {
        name: title?.name ?? fallback.name,
        titleId: nacp.applicationId,
        version: nacp.displayVersion === "" ? fallback.version : nacp.displayVersion,
        source: "the NRO's NACP",
      },
    };
  });
}
