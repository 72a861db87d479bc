// config: the intake outputs (homebrew and XCI mode): module.json (segments the lifter reads) and manifest.json.
import { z } from "zod";
import { schemaVersion1 } from "./common.js";

const offset = z.number().int().nonnegative();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits");
/** A path relative to the folder of the file that names it, `/`-separated. */
const relativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), "must be a relative path inside its folder");
const rodataRange = z.strictObject({ offset, size: offset });

export const intakeSegmentSchema = z.strictObject({
  name: z.enum(["text", "rodata", "data"]),
  /** The loaded (decompressed) bytes, relative to module.json. */
  file: relativePath,
  sha256,
  /** Where the segment is stored in the input file, and how many bytes it takes there. */
  file_offset: offset,
  file_size: offset,
  compressed: z.boolean(),
  memory_offset: offset,
  size: offset,
  permissions: z.enum(["r-x", "r--", "rw-"]),
});

export const intakeMod0Schema = z.strictObject({
  offset,
  dynamic_offset: offset,
  bss_start: offset,
  bss_end: offset,
  eh_frame_hdr_start: offset,
  eh_frame_hdr_end: offset,
  module_object_offset: offset,
});

export const intakeModuleEntrySchema = z.strictObject({
  /** The input's file stem: unique among the modules. */
  name: z.string().min(1),
  format: z.enum(["nro", "nso"]),
  /** The input as provenance.toml lists it. */
  input: z.strictObject({ path: z.string().min(1), sha256, size: offset }),
  build_id: z.string().regex(/^[0-9a-f]{64}$/),
  segments: z.array(intakeSegmentSchema).length(3),
  bss: z.strictObject({ memory_offset: offset, size: offset }),
  mod0: intakeMod0Schema.nullable(),
  api_info: rodataRange,
  dynstr: rodataRange,
  dynsym: rodataRange,
});

export const intakeModes = ["homebrew", "xci"] as const;

export const intakeModuleSchema = z.strictObject({
  schema_version: schemaVersion1,
  mode: z.enum(intakeModes),
  arch: z.literal("aarch64"),
  /** Sorted by name. */
  modules: z.array(intakeModuleEntrySchema).min(1),
});
export type IntakeModule = z.infer<typeof intakeModuleSchema>;
export type IntakeModuleEntry = z.infer<typeof intakeModuleEntrySchema>;

const fileRecord = z.strictObject({ path: relativePath, sha256, size: offset });

/** XCI mode: the program NCA intake took from the image (never any key material). */
const xciProgram = z.strictObject({
  /** File name inside the image's secure partition. */
  nca: z.string(),
  title_id: z.string().regex(/^[0-9a-f]{16}$/),
  /** From the title's cnmt; absent when no meta NCA names the program. */
  version: offset.optional(),
  nca_magic: z.enum(["NCA2", "NCA3"]),
  key_generation: offset,
  rights_id: z.string().regex(/^[0-9a-f]{32}$/).optional(),
  sdk_addon_version: offset,
  /** ExeFS file names, sorted. */
  exefs: z.array(z.string()),
});

export const intakeManifestSchema = z.strictObject({
  schema_version: schemaVersion1,
  stage: z.literal("intake"),
  mode: z.enum(intakeModes),
  program: xciProgram.optional(),
  /** XCI mode: the extractor and its real version (the tool's own banner, and its SHA-256 for external tools). */
  tool: z.strictObject({ name: z.string(), version: z.string(), sha256: sha256.optional() }).optional(),
  /** Inputs as provenance.toml lists them, sorted by path. */
  inputs: z.array(z.strictObject({ path: z.string().min(1), sha256, size: offset, format: z.string(), role: z.string() })),
  /** Files written under the intake folder (paths relative to it), sorted; manifest.json itself excluded. */
  files: z.array(fileRecord),
  /** Files written under the assets root (paths relative to it), sorted. Never inside a repository. */
  assets: z.array(fileRecord),
});
export type IntakeManifest = z.infer<typeof intakeManifestSchema>;
export type IntakeFileRecord = z.infer<typeof fileRecord>;
