// config: run-manifest.json (schema "1"), the evidence of one `recomp automate` run.
import { z } from "zod";
import { stageNames } from "./automation.js";

export const stepStatuses = ["succeeded", "failed", "skipped", "interrupted"] as const;
export type StepStatus = (typeof stepStatuses)[number];

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const manifestStepSchema = z.strictObject({
  name: z.enum(stageNames),
  status: z.enum(stepStatuses),
  cache_hit: z.boolean(),
  fingerprint: sha256.nullable(),
  stage_attempt: z.number().int().nonnegative(),
  duration_ms: z.number().int().nonnegative(),
  command: z.array(z.string()).nullable(),
  exit_code: z.number().int().nullable(),
  stdout_path: z.string().nullable(),
  stderr_path: z.string().nullable(),
  outputs: z.array(z.string()),
  notes: z.array(z.string()),
});
export type ManifestStep = z.infer<typeof manifestStepSchema>;

export const manifestArtifactSchema = z.strictObject({
  path: z.string(),
  sha256,
  size: z.number().int().nonnegative(),
  role: z.string(),
  stage: z.enum(stageNames),
});
export type ManifestArtifact = z.infer<typeof manifestArtifactSchema>;

export const manifestInputSchema = z.strictObject({
  name: z.string(),
  path: z.string(),
  sha256,
  size: z.number().int().nonnegative(),
});
export type ManifestInput = z.infer<typeof manifestInputSchema>;

export const runManifestSchema = z.strictObject({
  schema_version: z.literal("1"),
  run_id: z.string(),
  execution_mode: z.enum(["local", "cloud", "hybrid"]),
  host_fingerprint: sha256,
  tool_versions: z.record(z.string(), z.string()),
  input_fingerprint: sha256,
  inputs: z.array(manifestInputSchema),
  steps: z.array(manifestStepSchema),
  artifacts: z.array(manifestArtifactSchema),
  validation_report: z
    .strictObject({ path: z.string(), passed: z.boolean() })
    .nullable(),
  result: z.strictObject({
    status: z.enum(["passed", "no_reference", "validation_failed", "stage_failed", "interrupted", "incomplete"]),
    exit_code: z.number().int(),
  }),
});
export type RunManifest = z.infer<typeof runManifestSchema>;
