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
const bytes = (what: string) => offset.describe(`${what}, in bytes`);
const sha256Of = (what: string) => sha256.describe(`SHA-256 of ${what}, lowercase hex`);
const rodataRange = (what: string) =>
  z.strictObject({ offset: bytes(`where ${what} starts in .rodata`), size: bytes(`its size`) }).describe(`${what}: a range of .rodata (from MOD0's dynamic section)`);

export const intakeSegmentSchema = z.strictObject({
  name: z.enum(["text", "rodata", "data"]).describe("the segment"),
  /** The loaded (decompressed) bytes, relative to module.json. */
  file: relativePath.describe("the segment's loaded (decompressed) bytes, relative to module.json"),
  sha256: sha256Of("those bytes"),
  /** Where the segment is stored in the input file, and how many bytes it takes there. */
  file_offset: bytes("where the segment is stored in the input file (offset)"),
  file_size: bytes("how much of the input file it takes (compressed size for a compressed NSO segment)"),
  compressed: z.boolean().describe("whether the input stores it LZ4-compressed (NSO)"),
  memory_offset: bytes("its offset from the module's load address"),
  size: bytes("its loaded size"),
  permissions: z.enum(["r-x", "r--", "rw-"]).describe("its memory permissions: read, write, execute"),
});

export const intakeMod0Schema = z.strictObject({
  offset: bytes("where the MOD0 header is, from the module's start"),
  dynamic_offset: bytes("the .dynamic section, from the module's start"),
  bss_start: bytes("the start of .bss, from the module's start"),
  bss_end: bytes("the end of .bss, from the module's start"),
  eh_frame_hdr_start: bytes("the start of .eh_frame_hdr, from the module's start (0 when absent)"),
  eh_frame_hdr_end: bytes("the end of .eh_frame_hdr, from the module's start"),
  module_object_offset: bytes("the module object libnx's runtime links, from the module's start"),
});

export const intakeModuleEntrySchema = z.strictObject({
  /** The input's file stem: unique among the modules. */
  name: z.string().min(1).describe("the input's file stem, unique among the modules (\"main\" for an ExeFS main)"),
  format: z.enum(["nro", "nso"]).describe("the input's format"),
  /** The input as provenance.toml lists it. */
  input: z
    .strictObject({
      path: z.string().min(1).describe("the input file as provenance.toml lists it"),
      sha256: sha256Of("the input file"),
      size: bytes("its size"),
    })
    .describe("the input file the module came from"),
  build_id: z.string().regex(/^[0-9a-f]{64}$/).describe("the module's build id from its header, 32 bytes as hex"),
  segments: z.array(intakeSegmentSchema).length(3).describe("text, rodata and data"),
  bss: z
    .strictObject({ memory_offset: bytes("where .bss starts, from the load address"), size: bytes("its size") })
    .describe("the zero-filled memory after .data"),
  mod0: intakeMod0Schema.nullable().describe("the MOD0 header's fields, or null when the module has none"),
  api_info: rodataRange("the SDK and middleware names (api_info)"),
  dynstr: rodataRange(".dynstr"),
  dynsym: rodataRange(".dynsym"),
});

export const intakeModes = ["homebrew", "xci"] as const;

export const intakeModuleSchema = z.strictObject({
  schema_version: schemaVersion1.describe("the file format's version"),
  mode: z.enum(intakeModes).describe("the [inputs] mode that made it"),
  arch: z.literal("aarch64").describe("the code's architecture"),
  /** Sorted by name. */
  modules: z.array(intakeModuleEntrySchema).min(1).describe("every module (NRO, or the ExeFS NSOs), sorted by name"),
});
export type IntakeModule = z.infer<typeof intakeModuleSchema>;
export type IntakeModuleEntry = z.infer<typeof intakeModuleEntrySchema>;

const fileRecord = z.strictObject({
  path: relativePath.describe("the file, relative to its folder"),
  sha256: sha256Of("the file"),
  size: bytes("its size"),
});

/** XCI mode: the program NCA intake took from the image (never any key material). */
const xciProgram = z.strictObject({
  /** File name inside the image's secure partition. */
  nca: z.string().describe("the program NCA's file name inside the image's secure partition"),
  title_id: z.string().regex(/^[0-9a-f]{16}$/).describe("the program's title id, 16 hex digits"),
  /** From the title's cnmt; absent when no meta NCA names the program. */
  version: offset.optional().describe("the title version from the CNMT; absent when no meta NCA names the program"),
  nca_magic: z.enum(["NCA2", "NCA3"]).describe("the NCA header's format"),
  key_generation: offset.describe("the NCA's key generation (which master key it needs)"),
  rights_id: z.string().regex(/^[0-9a-f]{32}$/).optional().describe("the rights id, 32 hex digits, when the NCA uses a title key"),
  sdk_addon_version: offset.describe("the SDK add-on version from the NCA header"),
  /** ExeFS file names, sorted. */
  exefs: z.array(z.string()).describe("the ExeFS file names, sorted"),
});

export const intakeManifestSchema = z.strictObject({
  schema_version: schemaVersion1.describe("the file format's version"),
  stage: z.literal("intake").describe("the stage that wrote it"),
  mode: z.enum(intakeModes).describe("the [inputs] mode that made it"),
  program: xciProgram.optional().describe("XCI mode: the program NCA intake took from the image (never any key material)"),
  /** XCI mode: the extractor and its real version (the tool's own banner, and its SHA-256 for external tools). */
  tool: z
    .strictObject({
      name: z.string().describe("the extractor's name"),
      version: z.string().describe("its version, from its own banner"),
      sha256: sha256.optional().describe("SHA-256 of an external extractor's program"),
    })
    .optional()
    .describe("XCI mode: the extractor that ran"),
  /** Inputs as provenance.toml lists them, sorted by path. */
  inputs: z
    .array(
      z.strictObject({
        path: z.string().min(1).describe("the input file as provenance.toml lists it"),
        sha256: sha256Of("the input file"),
        size: bytes("its size"),
        format: z.string().describe("its detected format (provenance.toml's format)"),
        role: z.string().describe("its role (provenance.toml's role)"),
      }),
    )
    .describe("the inputs as provenance.toml lists them, sorted by path"),
  /** Files written under the intake folder (paths relative to it), sorted; manifest.json itself excluded. */
  files: z.array(fileRecord).describe("files written under the intake folder (relative to it), sorted; manifest.json itself excluded"),
  /** Files written under the assets root (paths relative to it), sorted. Never inside a repository. */
  assets: z.array(fileRecord).describe("files written under the assets root (relative to it), sorted; never inside a repository"),
});
export type IntakeManifest = z.infer<typeof intakeManifestSchema>;
export type IntakeFileRecord = z.infer<typeof fileRecord>;
