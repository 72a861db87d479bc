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

const tool = z.strictObject({ name: z.string(), version: z.string() });

export const provenanceInputSchema = z.strictObject({
  path: pathString,
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex digits"),
  size: z.number().int().nonnegative(),
  format: z.enum(provenanceFormats),
  role: z.string().min(1),
  /** recomp: the input is the user's own, redistributable work (e.g. a homebrew demo); `recomp audit` allows it in the repository. */
  redistributable: z.boolean().optional(),
});
export type ProvenanceInput = z.infer<typeof provenanceInputSchema>;

export const provenanceSchema = z.strictObject({
  schema_version: schemaVersion1,
  title: z.strictObject({
    name: z.string().describe("The title's name, as its NACP or CNMT gives it."),
    title_id: z
      .string()
      .regex(/^(0x)?[0-9a-fA-F]{16}$/, 'must be 16 hex digits, e.g. "0100000000010000" (homebrew without one: "0000000000000000")')
      .describe("The title id: 16 hex digits (homebrew NACPs usually carry zeros)."),
    version: z.string().describe("The title's display version, e.g. \"1.0.0\"."),
    region: z.string().describe('Where the copy was bought or made, or "none" for homebrew.'),
  }),
  collection: z.strictObject({
    device: z.string(),
    collected_at: dateOrString,
    notes: z.string().optional(),
    tool,
    decryption_tool: tool.optional(),
  }),
  notes: z.string().optional(),
  inputs: z.array(provenanceInputSchema).min(1, "list at least one [[inputs]] entry"),
});
export type Provenance = z.infer<typeof provenanceSchema>;
