// engine: the RECOMP_* environment every stage command receives (the prior art's names, plus ours).
import type { StageName } from "../config/automation.js";
import { displayPath } from "./paths.js";
import type { ResolvedConfig } from "./resolved-config.js";

/** Variables with absolute paths; `relative` gives the same with config-relative paths (fingerprints). */
export function stageEnvironment(config: ResolvedConfig, runId: string, stage: StageName): Record<string, string> {
  const p = config.paths;
  const policy = config.raw.policy;
  const env: Record<string, string | undefined> = {
    RECOMP_CONFIG_DIR: p.configDir,
    RECOMP_TITLE_TOML: p.title,
    RECOMP_WORK_ROOT: p.workRoot,
    RECOMP_INTAKE_DIR: p.intakeDir,
    RECOMP_LIFT_DIR: p.liftDir,
    RECOMP_BUILD_DIR: p.buildDir,
    RECOMP_ASSETS_DIR: p.assetsDir,
    RECOMP_REFERENCE_VIDEO_TOML: p.referenceVideoToml,
    RECOMP_CAPTURE_VIDEO_TOML: p.captureVideoToml,
    RECOMP_CAPTURE_VIDEO: p.captureVideo,
    RECOMP_CAPTURE_FRAMES_DIR: p.framesDir,
    RECOMP_CAPTURE_AUDIO_FILE: p.audioFile,
    RECOMP_VALIDATION_DIR: p.validationDir,
    RECOMP_RUN_MANIFEST: p.runManifest,
    RECOMP_LIFTED_MODULE_JSON: p.liftedModuleJson,
    RECOMP_VALIDATION_CONFIG_TOML: p.validationConfigToml,
    RECOMP_INPUT_SCRIPT_TOML: p.inputScriptToml,
    RECOMP_LOG_DIR: p.logDir,
    RECOMP_EXECUTION_MODE: policy?.execution_mode ?? "local",
    RECOMP_POLICY_REQUIRES_APPROVAL: policy?.requires_approval === undefined ? undefined : String(policy.requires_approval),
    RECOMP_POLICY_MAX_COST_USD: policy?.max_cost_usd === undefined ? undefined : String(policy.max_cost_usd),
    RECOMP_POLICY_MAX_RUNTIME_MINUTES: policy?.max_runtime_minutes === undefined ? undefined : String(policy.max_runtime_minutes),
    RECOMP_POLICY_REDACTION_PROFILE: policy?.redaction_profile,
    RECOMP_POLICY_ALLOWED_MODELS: policy?.allowed_models?.join(","),
    RECOMP_POLICY_RUN_WINDOWS: policy?.run_windows?.join(","),
    RECOMP_RUN_ID: runId,
    RECOMP_STAGE: stage,
  };
  const out: Record<string, string> = {};
  for (const key of Object.keys(env).sort()) {
    const value = env[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The environment as it enters a fingerprint: no run id or stage, paths relative to the config folder. */
export function fingerprintEnvironment(env: Record<string, string>, configDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key === "RECOMP_RUN_ID" || key === "RECOMP_STAGE") continue;
    out[key] = value.startsWith("/") ? displayPath(configDir, value) : value;
  }
  return out;
}
