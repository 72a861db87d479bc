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
  mode: z.enum(inputModes).describe("What the loop starts from: \"homebrew\" (an NRO and/or NSO modules), \"xci\" (a game-card image and your keyset) or \"lifted\" (an already lifted module.json). Required."),
  provenance: pathString.describe("provenance.toml listing every input with its SHA-256, size and format; relative to the folder of automation.toml. Required."),
  config: pathString.describe("The title's title.toml (entry, runtime personality, memory layout); relative to the folder of automation.toml. Required."),
  module_json: pathString.optional().describe("The lifted module.json (lifted mode only); relative to the folder of automation.toml."),
  nro: pathString.optional().describe("The homebrew NRO (homebrew mode: this and/or nso); relative to the folder of automation.toml."),
  nso: z.array(pathString).optional().describe("NSO modules (homebrew mode; the file stem names each module, e.g. \"main\"); relative to the folder of automation.toml."),
  xci: pathString.optional().describe("The game-card image (xci mode, required there); relative to the folder of automation.toml."),
  keys: pathString.optional().describe("Your keyset, prod.keys (xci mode, required there); its values never reach a log or manifest; relative to the folder of automation.toml."),
  /** recomp (xci mode): title.keys, for titles whose NCAs carry a rights id. */
  title_keys: pathString.optional().describe("title.keys, for titles whose NCAs carry a rights id (xci mode); relative to the folder of automation.toml."),
  runtime_path: pathString.optional().describe("A runtime folder the prior art named; only checked to exist (recomp builds its own runtime from runtime/); relative to the folder of automation.toml."),
  /** recomp: the execution profile the emit reads (docs/runtime-core.md, "Optimisation tiers"). */
  execution_profile: pathString
    .optional()
    .describe("An execution profile a profiling build's run wrote (make recomp-title-profile; RECOMP_PROFILE_OUT): the functions it never saw run compile at -O0 (docs/runtime-core.md, \"Optimisation tiers\"); relative to the folder of automation.toml."),
});

const outputs = z.strictObject({
  work_root: pathString.describe("Folder of every output recomp writes (intake, lift, build, logs, manifests; must be outside git or ignored); relative to the folder of automation.toml. Required."),
  intake_dir: pathString.optional().describe("Intake output folder (default: <work_root>/intake)."),
  lift_dir: pathString.optional().describe("Lift output folder (default: <work_root>/lift)."),
  build_dir: pathString.optional().describe("Generated C project and binary (default: <work_root>/build)."),
  assets_dir: pathString.optional().describe("Extracted assets (RomFS, icon, NACP); must be outside every git work tree and apart from the other outputs; may start with \"$XDG_CACHE_HOME/\", the user's cache folder (~/.cache when unset) (default: <work_root>/assets)."),
  validation_dir: pathString.optional().describe("Validation reports, .txt, .json and .html (default: <work_root>/validation)."),
  log_dir: pathString.optional().describe("Stage logs (default: <work_root>/logs)."),
  run_manifest: pathString.optional().describe("The run manifest (default: <work_root>/run-manifest.json)."),
  lifted_module_json: pathString.optional().describe("The lifted module.json the lift stage writes (default: <lift_dir>/module.json)."),
  /** recomp: the folder the run stage's command writes (raw frames, audio): verified before reuse, compared for early cutoff. */
  run_dir: pathString.optional().describe("folder the run command writes; its files are the run stage's outputs"),
});

export const referenceSources = ["file", "emulated"] as const;

const reference = z.strictObject({
  reference_video_toml: pathString
    .optional()
    .describe(
      'reference_video.toml: the reference\'s hash lists and thresholds; when it does not exist yet the loop stops after hashing (verdict "no reference"); relative to the folder of automation.toml. Required unless source = "emulated", which writes its own.',
    ),
  /** recomp: a reference by emulation (docs/reference-emulated.md) instead of a file. */
  source: z
    .enum(referenceSources)
    .optional()
    .describe(
      'where the reference comes from: "file" (default) reads reference_video_toml; "emulated" makes it in every run by running the module\'s original code under qemu-aarch64 over the same runtime (the emulate_reference stage: <work_root>/reference-emulated), then validates the run against it in exact mode',
    ),
  capture_video_toml: pathString.describe("capture_video.toml: what the loop captures and where the hash stages write their lists; relative to the folder of automation.toml. Required."),
  validation_config_toml: pathString.optional().describe("validation_config.toml, overriding the reference's [validation] field by field (optional); relative to the folder of automation.toml."),
  input_script_toml: pathString.optional().describe("input_script.toml: the controller events the run replays (optional; required with source = \"emulated\"); relative to the folder of automation.toml."),
});

const capture = z.strictObject({
  video_path: pathString.describe("The capture video the capture command writes; must agree with capture_video.toml's [video].path; relative to the folder of automation.toml. Required."),
  frames_dir: pathString.describe("Folder the extract_frames command writes the capture's frames to; relative to the folder of automation.toml. Required."),
  audio_file: pathString.optional().describe("WAV the extract_audio command writes (needs commands.extract_audio and [hashes.audio]); relative to the folder of automation.toml."),
});

const commands = z.strictObject({
  build: argv.describe("argv of the build stage (e.g. [\"make\", \"-s\", \"-C\", \"work/build\"]); never a shell string. Required."),
  run: argv.describe("argv of the run stage: runs the recompiled binary, writing frames and audio. Required."),
  capture: argv.describe("argv that turns the run's frames and audio into the capture video. Required."),
  extract_frames: argv.describe("argv that extracts the capture video's frames into capture.frames_dir. Required."),
  extract_audio: argv.optional().describe("argv that extracts the capture's audio into capture.audio_file (required when audio_file is set)."),
  lift: argv.optional().describe("xci mode: argv of an external lifter writing outputs.lifted_module_json instead of recomp's lift (optional)."),
});

const tools = z.strictObject({
  xci_tool: z.enum(["auto", "hactool", "hactoolnet", "native"]).optional().describe("Who decrypts the program NCA: \"native\" (recomp itself, the default), \"hactool\", \"hactoolnet\"; \"auto\" is \"native\"."),
  xci_tool_path: pathString.optional().describe("The hactool / hactoolnet executable (default: found on PATH); relative to the folder of automation.toml."),
  ffmpeg_path: pathString.optional().describe("The ffmpeg used for hashing and probes (default: ffmpeg on PATH); relative to the folder of automation.toml."),
});

const analysis = z.strictObject({
  command: argv.optional().describe("argv of the analysis stage (optional; skipped when absent)."),
  expected_outputs: z.array(pathString).optional().describe("Files the analysis command must write; all are required after it ran; relative to the folder of automation.toml."),
  name_map_json: pathString.optional().describe("A function name map (JSON) the analysis uses; checked to exist; relative to the folder of automation.toml."),
  runtime_trace_manifest: pathString.optional().describe("A runtime trace manifest the analysis uses; checked to exist; relative to the folder of automation.toml."),
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
  execution_mode: z.enum(executionModes).optional().describe("Where stages run: only \"local\" is implemented (the default); \"cloud\" and \"hybrid\" are refused."),
  requires_approval: z.boolean().optional().describe("Ask before running: needs --approve or a \"yes\" at the terminal (default false)."),
  max_cost_usd: z.number().nonnegative().optional().describe("Spending limit in US dollars, passed to commands as RECOMP_POLICY_MAX_COST_USD (local runs cost nothing)."),
  max_runtime_minutes: minutes("max_runtime_minutes").optional().describe("Longest whole run, in minutes (more than 0, at most 35791); no limit by default."),
  redaction_profile: z.string().optional().describe("What logs and manifests hide: \"none\", \"default\", \"homebrew-default\" or \"strict\" (default \"default\")."),
  /** recomp: extra regular expressions (RE2 syntax, matched in linear time) redacted from logs and manifests. */
  redaction_patterns: z.array(z.string()).optional().describe("Extra regular expressions (RE2 syntax, linear time) redacted from logs and manifests."),
  allowed_models: z.array(z.string()).optional().describe("Model names commands may use, passed as RECOMP_POLICY_ALLOWED_MODELS (comma-separated)."),
  run_windows: z.array(z.string()).optional().describe("UTC windows a run may start in, e.g. \"22:00-06:00\" or \"mon-fri 09:00-17:30\"; any time by default."),
});

const stageTimeouts = z.partialRecord(z.enum(stageNames), minutes("a stage timeout"));

const run = z.strictObject({
  resume: z.boolean().optional().describe("Reuse stages whose inputs and outputs are unchanged (default true; --no-resume turns it off once)."),
  /** recomp: how many runs keep their manifest and logs under <work_root>/runs (newest first). */
  keep_runs: z.number().int().min(1).max(10_000).optional().describe("runs whose manifest and logs are kept under <work_root>/runs, newest first (default 10)"),
  lift_entry: z.string().optional().describe("Where lifting starts: a symbol name or an address (default \"entry\", the module's entry point)."),
  lift_mode: z.enum(["decode", "stub"]).optional().describe("\"decode\" lifts every reachable instruction (the default); \"stub\" writes functions that trap (for pipeline tests)."),
  /** recomp: default timeout of every command stage, in minutes. */
  stage_timeout_minutes: minutes("stage_timeout_minutes").optional().describe("Default timeout of every command stage, in minutes (more than 0, at most 35791); no timeout by default."),
  /** recomp: per-stage timeout overrides, in minutes. */
  stage_timeouts: stageTimeouts.optional().describe("Per-stage timeouts in minutes, by stage name (e.g. run = 5); override stage_timeout_minutes."),
});

export const automationSchema = z.strictObject({
  schema_version: schemaVersion1.describe("Format version of this file: \"1\". Required."),
  inputs: inputs.describe("What the loop reads: the title's files and their provenance."),
  outputs: outputs.describe("Where the loop writes; every folder defaults to a name under work_root."),
  reference: reference.describe("The reference, capture, validation and input-script files."),
  capture: capture.describe("The capture the capture and extract commands write."),
  commands: commands.describe("The command stages, each an argv array run without a shell; paths relative to the folder of automation.toml."),
  tools: tools.optional().describe("External tools and where to find them."),
  analysis: analysis.optional().describe("An optional analysis stage between intake and lift."),
  policy: policy.optional().describe("Limits on when and how the loop may run, and what logs hide."),
  run: run.optional().describe("How the loop runs: reuse, kept runs, lift start, timeouts."),
});

export type AutomationConfig = z.infer<typeof automationSchema>;
