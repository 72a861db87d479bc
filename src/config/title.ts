// config: title.toml: the title's entry, ABI, runtime memory layout and service stubs.
import { z } from "zod";
import { address } from "./common.js";

const permissions = z.union([
  z.strictObject({ read: z.boolean(), write: z.boolean(), execute: z.boolean() }),
  z.string().regex(/^[r-][w-][x-]$/, 'must be { read, write, execute } or a string like "r-x"'),
]);

/** What `svc` means to the runtime (src/emit picks the runtime files by it). */
export const personalities = ["demo", "horizon", "linux"] as const;
export type Personality = (typeof personalities)[number];

export const titleSchema = z.strictObject({
  title: z.string(),
  entry: z.string(),
  abi_version: z.string(),
  /** recomp (XCI mode): which program NCA to take when the image holds several. */
  program_title_id: z.string().regex(/^(0x)?[0-9a-fA-F]{16}$/, "must be 16 hex digits").optional(),
  program_version: z.number().int().nonnegative().optional(),
  runtime: z
    .strictObject({
      performance_mode: z.enum(["handheld", "docked"]).optional(),
      personality: z
        .enum(personalities)
        .optional()
        .describe(
          'what svc means: "demo" (the demo\'s private ABI, docs/svc-abi.md; the default), "horizon" (Horizon\'s kernel, IPC and services for libnx homebrew, docs/runtime-horizon.md), "linux" (differential tests)',
        ),
      memory_layout: z
        .strictObject({
          regions: z.array(z.strictObject({ name: z.string(), base: address, size: address, permissions })).optional(),
        })
        .optional(),
    })
    .optional(),
  stubs: z.record(z.string(), z.enum(["log", "noop", "panic"])).optional(),
});
export type TitleConfig = z.infer<typeof titleSchema>;
