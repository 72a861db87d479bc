// config: automation.toml (schema_version "1"): every key of the prior art plus recomp's own.
import { z } from "zod";
import { argv, pathString, schemaVersion1 } from "./common.js";

export const stageNames = [
  "intake",
  "analysis",
  "lift",
  "pipeline",
  "build",
  "run",
  "capture",
  "extract_frames",
  "extract_audio",
  "hash_frames",
  "hash_audio",
  "emulate_reference",
  "validate",
  "archive",
] as const;
export type StageName = (typeof stageNames)[number];

export const inputModes = ["homebrew", "xci", "lifted"] as const;

const inputs = z.strictObject({
  mode: z.enum(inputModes),
  provenance: pathString,
  config: pathString,
  module_json: pathString.optional(),
  nro: pathString.optional(),
  nso: z.array(pathString).optional(),
  xci: pathString.optional(),
  keys: pathString.optional(),
  /** recomp (xci mode): title.keys, for titles whose NCAs carry a rights id. */
  title_keys: pathString.optional(),
  runtime_path: pathString.optional(),
});

const outputs = z.strictObject({
  work_root: pathString,
  intake_dir: pathString.optional(),
  lift_dir: pathString.optional(),
  build_dir: pathString.optional(),
  assets_dir: pathString.optional(),
  validation_dir: pathString.optional(),
  log_dir: pathString.optional(),
  run_manifest: pathString.optional(),
  lifted_module_json: pathString.optional(),
  /** recomp: the folder the run stage's command writes (raw frames, audio): verified before reuse, compared for early cutoff. */
  run_dir: pathString.optional().describe("folder the run command writes; its files are the run stage's outputs"),
});

export const referenceSources = ["file", "emulated"] as const;

const reference = z.strictObject({
  reference_video_toml: pathString.optional().describe('reference_video.toml: the reference the run is validated against (required unless source = "emulated", which writes its own)'),
  /** recomp: a reference by emulation (docs/reference-emulated.md) instead of a file. */
  source: z
    .enum(referenceSources)
    .optional()
    .describe(
      'where the reference comes from: "file" (default) reads reference_video_toml; "emulated" makes it in every run by running the module\'s original code under qemu-aarch64 over the same runtime (the emulate_reference stage: <work_root>/reference-emulated), then validates the run against it in exact mode',
    ),
  capture_video_toml: pathString,
  validation_config_toml: pathString.optional(),
  input_script_toml: pathString.optional(),
});

const capture = z.strictObject({
  video_path: pathString,
  frames_dir: pathString,
  audio_file: pathString.optional(),
});

const commands = z.strictObject({
  build: argv,
  run: argv,
  capture: argv,
  extract_frames: argv,
  extract_audio: argv.optional(),
  lift: argv.optional(),
});

const tools = z.strictObject({
  xci_tool: z.enum(["auto", "hactool", "hactoolnet", "native"]).optional(),
  xci_tool_path: pathString.optional(),
  ffmpeg_path: pathString.optional(),
});

const analysis = z.strictObject({
  command: argv.optional(),
  expected_outputs: z.array(pathString).optional(),
  name_map_json: pathString.optional(),
  runtime_trace_manifest: pathString.optional(),
});

export const executionModes = ["local", "cloud", "hybrid"] as const;

/** The longest timer Node can arm (2^31 - 1 ms), in whole minutes: longer values would fire at once. */
export const maxTimeoutMinutes = 35_791;
const minutes = (what: string) =>
  z
    .number()
    .positive(`${what} must be more than 0 minutes (allowed: more than 0 up to ${maxTimeoutMinutes})`)
    .max(maxTimeoutMinutes, `${what} must be at most ${maxTimeoutMinutes} minutes, about 24.8 days (allowed: more than 0 up to ${maxTimeoutMinutes})`);

const policy = z.strictObject({
  execution_mode: z.enum(executionModes).optional(),
  requires_approval: z.boolean().optional(),
  max_cost_usd: z.number().nonnegative().optional(),
  max_runtime_minutes: minutes("max_runtime_minutes").optional(),
  redaction_profile: z.string().optional(),
  /** recomp: extra regular expressions (RE2 syntax, matched in linear time) redacted from logs and manifests. */
  redaction_patterns: z.array(z.string()).optional(),
  allowed_models: z.array(z.string()).optional(),
  run_windows: z.array(z.string()).optional(),
});

const stageTimeouts = z.partialRecord(z.enum(stageNames), minutes("a stage timeout"));

const run = z.strictObject({
  resume: z.boolean().optional(),
  /** recomp: how many runs keep their manifest and logs under <work_root>/runs (newest first). */
  keep_runs: z.number().int().min(1).max(10_000).optional().describe("runs whose manifest and logs are kept under <work_root>/runs, newest first (default 10)"),
  lift_entry: z.string().optional(),
  lift_mode: z.enum(["decode", "stub"]).optional(),
  /** recomp: default timeout of every command stage, in minutes. */
  stage_timeout_minutes: minutes("stage_timeout_minutes").optional(),
  /** recomp: per-stage timeout overrides, in minutes. */
  stage_timeouts: stageTimeouts.optional(),
});

export const automationSchema = z.strictObject({
  schema_version: schemaVersion1,
  inputs,
  outputs,
  reference,
  capture,
  commands,
  tools: tools.optional(),
  analysis: analysis.optional(),
  policy: policy.optional(),
  run: run.optional(),
});

export type AutomationConfig = z.infer<typeof automationSchema>;
