// validate: the effective settings: validation_config.toml, then the reference's [validation], then defaults, field by field.
import type { ComparisonMode, Thresholds, ValidationConfig } from "../config/validation-config.js";
import type { ReferenceVideo } from "../config/video.js";

export type SettingSource = "validation_config" | "reference" | "default";

export interface Setting<T> {
  value: T;
  source: SettingSource;
}

export type EffectiveThresholds = { [K in keyof Required<Thresholds>]: Setting<number> };

/** Defaults: the prior art's (ratios 0.92/0.90, drift 3, dropped 0) plus recomp's own keys. */
export const defaultThresholds: Required<Thresholds> = {
  frame_match_ratio: 0.92,
  audio_match_ratio: 0.9,
  max_drift_frames: 3,
  max_dropped_frames: 0,
  max_audio_drift_chunks: 2,
  event_drift_max_seconds: 0.1,
  max_duplicated_frames: 0,
  max_mismatch_run_frames: 2,
  frame_similarity_min: 0.9,
  audio_similarity_min: 0.9,
  max_audio_dropout_ms: 100,
};

export interface EffectiveSettings {
  name: Setting<string>;
  mode: Setting<ComparisonMode>;
  requireAudio: Setting<boolean>;
  maxAudioOffsetSeconds: Setting<number>;
  thresholds: EffectiveThresholds;
}

function pick<T>(override: T | undefined, reference: T | undefined, fallback: T): Setting<T> {
  if (override !== undefined) return { value: override, source: "validation_config" };
  if (reference !== undefined) return { value: reference, source: "reference" };
  return { value: fallback, source: "default" };
}

export function effectiveSettings(reference: ReferenceVideo, config: ValidationConfig | undefined): EffectiveSettings {
  const refValidation = reference.validation;
  const refThresholds: Thresholds = { ...reference.thresholds, ...refValidation?.thresholds };
  const keys = Object.keys(defaultThresholds).sort() as Array<keyof Thresholds>;
  const thresholds = Object.fromEntries(
    keys.map((key) => [key, pick(config?.thresholds?.[key], refThresholds[key], defaultThresholds[key])]),
  ) as EffectiveThresholds;
  return {
    name: pick(config?.name, refValidation?.name, "validation"),
    mode: pick(config?.comparison?.mode, refValidation?.comparison?.mode, "exact"),
    requireAudio: pick(config?.require_audio, refValidation?.require_audio, false),
    maxAudioOffsetSeconds: pick(config?.comparison?.max_audio_offset_seconds, refValidation?.comparison?.max_audio_offset_seconds, 2),
    thresholds,
  };
}
