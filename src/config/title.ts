// config: title.toml: the title's entry, ABI, runtime memory layout and service stubs.
import { z } from "zod";
import { address } from "./common.js";

const permissions = z
  .union([
    z.strictObject({
      read: z.boolean().describe("The guest may read the region."),
      write: z.boolean().describe("The guest may write the region."),
      execute: z.boolean().describe("The region holds code."),
    }),
    z.string().regex(/^[r-][w-][x-]$/, 'must be { read, write, execute } or a string like "r-x"'),
  ])
  .describe('Access: a string like "r-x" (read, write, execute) or { read, write, execute }.');

/** What `svc` means to the runtime (src/emit picks the runtime files by it). */
export const personalities = ["demo", "horizon", "linux"] as const;
export type Personality = (typeof personalities)[number];

export const titleSchema = z.strictObject({
  title: z.string().describe("The title's name (informative). Required."),
  entry: z.string().describe('The entry symbol (prior-art key; recomp starts at the module\'s entry point, see [run] lift_entry). Required.'),
  abi_version: z.string().describe('The prior art\'s ABI version, "1" (read, not used). Required.'),
  /** recomp (XCI mode): which program NCA to take when the image holds several. */
  program_title_id: z.string().regex(/^(0x)?[0-9a-fA-F]{16}$/, "must be 16 hex digits").optional().describe("XCI mode: the program NCA's title id (16 hex digits) when the card holds several programs."),
  program_version: z.number().int().nonnegative().optional().describe("XCI mode: the program's version (from its CNMT) when one title has several."),
  runtime: z
    .strictObject({
      performance_mode: z.enum(["handheld", "docked"]).optional().describe('The console mode the title runs in: "handheld" or "docked" (prior-art key, read, not used yet).'),
      personality: z
        .enum(personalities)
        .optional()
        .describe(
          'what svc means: "demo" (the demo\'s private ABI, docs/svc-abi.md; the default), "horizon" (Horizon\'s kernel, IPC and services for libnx homebrew, docs/runtime-horizon.md), "linux" (differential tests)',
        ),
      memory_layout: z
        .strictObject({
          regions: z
            .array(
              z.strictObject({
                name: z.string().describe('The region\'s name, e.g. "text", "data", "stack".'),
                base: address.describe("Guest address of its first byte: an integer or a \"0x...\" string."),
                size: address.describe("Its size in bytes: an integer or a \"0x...\" string."),
                permissions,
              }),
            )
            .optional()
            .describe("Guest memory regions the runtime maps: the module's segments (data covers .bss) and the stack."),
        })
        .optional()
        .describe("The guest address space."),
    })
    .optional()
    .describe("How the recompiled title runs."),
  stubs: z.record(z.string(), z.enum(["log", "noop", "panic"])).optional().describe('Prior-art service stubs by name: "log", "noop" or "panic" (read, not used).'),
});
export type TitleConfig = z.infer<typeof titleSchema>;
