// intake: writing a provenance.toml for a set of inputs (formats detected from content).
import { access } from "node:fs/promises";
import { dirname, relative, resolve, sep } from "node:path";
import { stringify } from "smol-toml";
import { provenanceSchema, type ProvenanceFormat } from "../config/provenance.js";
import { detectFormat } from "../formats/detect.js";
import { RecompError, RecompErrorList } from "../util/errors.js";
import { sha256File } from "../util/hash.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { schemaErrors } from "../config/toml.js";

export interface ProvenanceInitOptions {
  out: string;
  titleName: string;
  titleId: string;
  titleVersion: string;
  region: string;
  device: string;
  collectedAt: string;
  toolName: string;
  toolVersion: string;
  notes?: string;
  role?: string[];
  force?: boolean;
  /** Comment lines written before the TOML (e.g. a `#:schema` directive), each starting with "#". */
  header?: string[];
}

const defaultRoles: Record<ProvenanceFormat, string> = {
  xci: "retail_image",
  keyset: "decryption_keys",
  video_mp4: "reference_video",
  nca: "program_nca",
  exefs: "exefs",
  nso0: "module",
  nro0: "homebrew_module",
  nrr0: "module_registration",
  npdm: "process_metadata",
  lifted_json: "lifted_module",
};

function parseRoles(pairs: readonly string[]): { roles: Map<string, string>; errors: RecompError[] } {
  const roles = new Map<string, string>();
  const errors: RecompError[] = [];
  for (const pair of pairs) {
    const at = pair.lastIndexOf("=");
    if (at <= 0 || at === pair.length - 1) {
      errors.push(new RecompError({ code: "usage", message: `--role "${pair}" is not PATH=ROLE`, hint: "e.g. --role game.nro=homebrew_module" }));
      continue;
    }
    roles.set(resolve(pair.slice(0, at)), pair.slice(at + 1));
  }
  return { roles, errors };
}

export async function writeProvenance(
  inputs: readonly string[],
  options: ProvenanceInitOptions,
): Promise<{ count: number; warnings: RecompError[] }> {
  const { roles, errors } = parseRoles(options.role ?? []);
  const warnings: RecompError[] = [];
  if (options.force !== true) {
    const exists = await access(options.out).then(
      () => true,
      () => false,
    );
    if (exists) errors.push(new RecompError({ code: "usage", message: `${options.out} exists`, hint: "pass --force to overwrite it" }));
  }
  const outDir = dirname(resolve(options.out));
  const entries: { path: string; sha256: string; size: number; format: ProvenanceFormat; role: string }[] = [];
  for (const input of [...new Set(inputs.map((i) => resolve(i)))].sort()) {
    let detected;
    try {
      detected = detectFormat(input);
    } catch {
      errors.push(new RecompError({ code: "input_missing", message: `input "${input}" cannot be read`, location: { file: input } }));
      continue;
    }
    let format: ProvenanceFormat;
    if (detected === "nca_candidate") {
      format = "nca";
      warnings.push(
        new RecompError({
          code: "format_unsupported",
          message: "no known magic number; recorded as an (encrypted) NCA",
          location: { file: input },
          hint: "check the file; an NCA's magic is only visible after header decryption",
        }),
      );
    } else if (detected === "unknown" || detected === "hfs0") {
      errors.push(
        new RecompError({
          code: "format_invalid",
          message: detected === "hfs0" ? "a bare HFS0 partition is not an input format" : "content matches no input format",
          location: { file: input },
          hint: "inputs are XCI, NCA, ExeFS (PFS0), NSO, NRO, NRR, NPDM, keysets, MP4 videos or lifted module JSON",
        }),
      );
      continue;
    } else {
      format = detected;
    }
    const digest = await sha256File(input);
    entries.push({
      path: relative(outDir, input).split(sep).join("/"),
      sha256: digest.sha256,
      size: digest.size,
      format,
      role: roles.get(input) ?? defaultRoles[format],
    });
  }
  const document = {
    schema_version: "1",
    title: { name: options.titleName, title_id: options.titleId, version: options.titleVersion, region: options.region },
    collection: {
      device: options.device,
      collected_at: options.collectedAt,
      ...(options.notes === undefined ? {} : { notes: options.notes }),
      tool: { name: options.toolName, version: options.toolVersion },
    },
    inputs: entries,
  };
  // Self-check: what we write must be what `provenance verify` reads.
  errors.push(...schemaErrors(provenanceSchema, document, options.out).errors);
  if (errors.length > 0) throw new RecompErrorList(errors);
  const header = (options.header ?? []).map((line) => `${line}\n`).join("");
  await writeFileAtomic(options.out, `${header}${stringify(document)}\n`);
  return { count: entries.length, warnings };
}
