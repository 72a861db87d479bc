// config: manifest.json written by XCI intake: inputs, chosen program, tool and every file made.
import { z } from "zod";

const digestEntry = z.strictObject({ path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().nonnegative() });

export const xciIntakeManifestSchema = z.strictObject({
  schema_version: z.literal("1"),
  kind: z.literal("xci_intake"),
  /** Inputs as provenance.toml names them (paths relative to provenance.toml). */
  inputs: z.array(digestEntry.extend({ role: z.string(), format: z.string() })),
  program: z.strictObject({
    nca: z.string(),
    title_id: z.string(),
    version: z.number().int().nonnegative().optional(),
    nca_magic: z.string(),
    key_generation: z.number().int().nonnegative(),
    rights_id: z.string().optional(),
    sdk_addon_version: z.number().int().nonnegative(),
    exefs: z.array(z.string()),
  }),
  tool: z.strictObject({ name: z.string(), version: z.string(), sha256: z.string().optional() }),
  /** Files under the intake output folder, relative to it, sorted. */
  files: z.array(digestEntry),
  /** Files under the assets root (RomFS), relative to it, sorted. */
  assets: z.array(digestEntry),
});
export type XciIntakeManifest = z.infer<typeof xciIntakeManifestSchema>;
