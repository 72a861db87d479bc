// config: provenance.toml (schema_version "1"): where each input came from and its hash, size and format.
import { z } from "zod";
import { dateOrString, pathString, schemaVersion1 } from "./common.js";

export const provenanceFormats = [
  "xci",
  "keyset",
  "video_mp4",
  "nca",
  "exefs",
  "nso0",
  "nro0",
  "nrr0",
  "npdm",
  "lifted_json",
] as const;
export type ProvenanceFormat = (typeof provenanceFormats)[number];

const tool = z.strictObject({ name: z.string().describe("The tool's name."), version: z.string().describe("The tool's version, as it states it.") });

export const provenanceInputSchema = z.strictObject({
  path: pathString.describe("The input file; relative to the folder of provenance.toml. Required."),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex digits").describe("The file's SHA-256, 64 hex digits; checked before every use. Required."),
  size: z.number().int().nonnegative().describe("The file's size in bytes. Required."),
  format: z.enum(provenanceFormats).describe("The file's format, detected from its content (never the extension). Required."),
  role: z.string().min(1).describe("What the file is to the title, e.g. \"homebrew_module\", \"retail_image\", \"decryption_keys\". Required."),
  /** recomp: the input is the user's own, redistributable work (e.g. a homebrew demo); `recomp audit` allows it in the repository. */
  redistributable: z.boolean().optional().describe("The input is your own, redistributable work (e.g. a homebrew demo): `recomp audit` allows it in the repository (default false)."),
});
export type ProvenanceInput = z.infer<typeof provenanceInputSchema>;

export const provenanceSchema = z.strictObject({
  schema_version: schemaVersion1.describe('Format version of this file: "1". Required.'),
  title: z.strictObject({
    name: z.string().describe("The title's name, as its NACP or CNMT gives it."),
    title_id: z
      .string()
      .regex(/^(0x)?[0-9a-fA-F]{16}$/, 'must be 16 hex digits, e.g. "0100000000010000" (homebrew without one: "0000000000000000")')
      .describe("The title id: 16 hex digits (homebrew NACPs usually carry zeros)."),
    version: z.string().describe("The title's display version, e.g. \"1.0.0\"."),
    region: z.string().describe('Where the copy was bought or made, or "none" for homebrew.'),
  }).describe("Which title the inputs are."),
  collection: z
    .strictObject({
      device: z.string().describe("Where the inputs came from: the console they were dumped from, or the repository and commit they were built from."),
      collected_at: dateOrString.describe("When they were collected: a TOML date (YYYY-MM-DD) or a string."),
      notes: z.string().optional().describe("Free text about the collection."),
      tool: tool.describe("The tool that dumped or built the inputs."),
      decryption_tool: tool.optional().describe("The tool that decrypted them, if another one did."),
    })
    .describe("How the inputs were collected."),
  notes: z.string().optional().describe("Free text about the title's inputs."),
  inputs: z.array(provenanceInputSchema).min(1, "list at least one [[inputs]] entry").describe("Every input file, with its hash, size and format."),
});
export type Provenance = z.infer<typeof provenanceSchema>;
