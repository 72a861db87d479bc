// init: what INPUT is (a homebrew NRO, an NSO folder, an XCI, told apart by content) and what the
// new title folder needs from it: the facts, the files provenance.toml lists, automation.toml's
// [inputs] keys and whether the run tells libnx its own NRO path.
import { access, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { detectFormat } from "../formats/detect.js";
import { RecompError } from "../util/errors.js";
import { readNroFacts, readNsoFolderFacts, type TitleFacts } from "./title-identity.js";
import { readXciFacts } from "./xci-identity.js";

export type InputKind = "nro" | "nso_folder" | "xci";

export interface TitleInput {
  kind: InputKind;
  facts: TitleFacts;
  /** Absolute paths provenance.toml records. */
  provenanceFiles: string[];
  /** automation.toml's [inputs] besides provenance and config: key -> absolute path(s). */
  automationInputs: { mode: "homebrew" | "xci"; paths: [string, string | string[]][] };
  /** The NRO the run names in RECOMP_SELF_NRO (libnx's argv[0]); NSO and XCI titles have none. */
  selfNro?: string;
  /** What the user should know (modules init does not map, where the keys came from). */
  notes: string[];
}

export interface InputOptions {
  keys?: string;
  titleKeys?: string;
}

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

export async function readTitleInput(input: string, options: InputOptions): Promise<TitleInput> {
  const info = await stat(input).catch(() => undefined);
  if (info === undefined) throw new RecompError({ code: "input_missing", message: `"${input}" does not exist`, location: { file: input }, hint: "pass a homebrew NRO, an NSO folder (main + main.npdm) or an XCI" });
  if (info.isDirectory()) {
    const facts = await readNsoFolderFacts(input);
    const notes = facts.others.length === 0 ? [] : [`${facts.others.join(", ")} beside main: title.toml maps main only; add them to inputs.nso and their regions by hand`];
    return { kind: "nso_folder", facts, provenanceFiles: [facts.main, facts.npdm], automationInputs: { mode: "homebrew", paths: [["nso", [facts.main]]] }, notes };
  }
  const format = detectFormat(input);
  if (format === "nro0") return { kind: "nro", facts: await readNroFacts(input), provenanceFiles: [input], automationInputs: { mode: "homebrew", paths: [["nro", input]] }, selfNro: input, notes: [] };
  if (format === "xci") return readXciInput(input, options);
  throw new RecompError({
    code: "input_mismatch",
    message: `"${input}" is not an NRO, an NSO folder or an XCI (its content says: ${format})`,
    location: { file: input },
    hint: "pass a homebrew NRO, a folder holding main and main.npdm (an ExeFS), or a game-card image",
  });
}

/** The keyset: --keys, else prod.keys beside the image, else ~/.switch/prod.keys (where hactool looks). */
async function findKeys(xci: string, keys: string | undefined): Promise<{ path: string; note: string }> {
  if (keys !== undefined) return { path: resolve(keys), note: "" };
  const candidates = [join(dirname(xci), "prod.keys"), join(homedir(), ".switch", "prod.keys")];
  for (const candidate of candidates) if (await exists(candidate)) return { path: candidate, note: `keys: ${candidate} (pass --keys to choose another keyset)` };
  throw new RecompError({
    code: "input_missing",
    message: `an XCI needs your keyset, and none was found at ${candidates.join(" or ")}`,
    location: { file: xci },
    hint: "pass --keys FILE (your prod.keys, dumped from your own console)",
  });
}

async function readXciInput(xci: string, options: InputOptions): Promise<TitleInput> {
  const keys = await findKeys(xci, options.keys);
  const titleKeys = options.titleKeys === undefined ? undefined : resolve(options.titleKeys);
  const facts = await readXciFacts(xci, keys.path, titleKeys);
  const paths: [string, string][] = [["xci", xci], ["keys", keys.path], ...(titleKeys === undefined ? [] : [["title_keys", titleKeys] as [string, string]])];
  const notes = [keys.note, ...(facts.others.length === 0 ? [] : [`the ExeFS also holds ${facts.others.join(", ")}: intake reads them, title.toml maps main only; add their regions by hand`])];
  return { kind: "xci", facts, provenanceFiles: paths.map(([, path]) => path), automationInputs: { mode: "xci", paths }, notes: notes.filter((n) => n !== "") };
}
