// config: run-manifest.json (schema "1"), the evidence of one `recomp automate` run.
import { z } from "zod";
import { stageNames } from "./automation.js";

export const stepStatuses = ["succeeded", "failed", "skipped", "interrupted"] as const;
export type StepStatus = (typeof stepStatuses)[number];

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const sha256Of = (what: string) => sha256.describe(`SHA-256 of ${what}, lowercase hex`);

export const manifestStepSchema = z.strictObject({
  name: z.enum(stageNames).describe("the stage"),
  status: z.enum(stepStatuses).describe("how the stage ended in this run (a reused stage counts as succeeded)"),
  cache_hit: z.boolean().describe("true when the stage was reused: its inputs and outputs were unchanged since it last succeeded"),
  fingerprint: sha256Of("everything the stage depends on (settings, input files, tools, upstream stages)").nullable().describe("SHA-256 of everything the stage depends on (settings, input files, tools, upstream stages), or null for a skipped stage"),
  stage_attempt: z.number().int().nonnegative().describe("1 for a first attempt; one more for each retry of a stage that failed or was interrupted with the same fingerprint"),
  duration_ms: z.number().int().nonnegative().describe("wall time the stage took in this run, in milliseconds (0 when reused or skipped)"),
  command: z.array(z.string()).nullable().describe("the command the stage ran, as an argument list, or null for an internal stage"),
  exit_code: z.number().int().nullable().describe("the command's exit code, or null (internal stage, not run, or killed)"),
  stdout_path: z.string().nullable().describe("its stdout log, relative to the config folder, or null"),
  stderr_path: z.string().nullable().describe("its stderr log, relative to the config folder, or null"),
  outputs: z.array(z.string()).describe("the files and folders the stage produces, relative to the config folder"),
  notes: z.array(z.string()).describe("what the stage reported: why it ran or was reused, counts, failure reasons"),
});
export type ManifestStep = z.infer<typeof manifestStepSchema>;

export const manifestArtifactSchema = z.strictObject({
  path: z.string().describe("the file, relative to the config folder"),
  sha256: sha256Of("the file"),
  size: z.number().int().nonnegative().describe("its size in bytes"),
  role: z.string().describe("what the file is (e.g. capture_video, frame_hashes)"),
  stage: z.enum(stageNames).describe("the stage that wrote it"),
});
export type ManifestArtifact = z.infer<typeof manifestArtifactSchema>;

export const manifestInputSchema = z.strictObject({
  name: z.string().describe("what the input is (its provenance role or the config key naming it)"),
  path: z.string().describe("the file, relative to the config folder"),
  sha256: sha256Of("the file"),
  size: z.number().int().nonnegative().describe("its size in bytes"),
});
export type ManifestInput = z.infer<typeof manifestInputSchema>;

export const runManifestSchema = z.strictObject({
  schema_version: z.literal("1").describe("the manifest format's version"),
  run_id: z.string().describe("this run's id (a random UUID; its folder under <work_root>/runs/)"),
  execution_mode: z.enum(["local", "cloud", "hybrid"]).describe("where the stages ran"),
  host_fingerprint: sha256Of("the host: platform, architecture, OS release, CPU model and count, memory in GiB"),
  tool_versions: z.record(z.string(), z.string()).describe("every tool a stage ran, by name: its version line or identity"),
  input_fingerprint: sha256Of("every input listed in inputs"),
  inputs: z.array(manifestInputSchema).describe("the run's input files, as provenance.toml vouches for them"),
  steps: z.array(manifestStepSchema).describe("every stage of the loop, in order"),
  artifacts: z.array(manifestArtifactSchema).describe("every file the stages produced, with its hash"),
  validation_report: z
    .strictObject({
      path: z.string().describe("validation-report.json, relative to the config folder"),
      passed: z.boolean().describe("whether the capture matched the reference"),
    })
    .nullable()
    .describe("the validation report, or null when validation did not run"),
  result: z
    .strictObject({
      status: z.enum(["passed", "no_reference", "validation_failed", "stage_failed", "interrupted", "incomplete"]).describe("the run's verdict"),
      exit_code: z.number().int().describe("recomp's exit code: 0 passed or no reference, 1 validation failed, 2 input error, 3 stage failed, 130 interrupted"),
    })
    .describe("how the run ended"),
});
export type RunManifest = z.infer<typeof runManifestSchema>;
