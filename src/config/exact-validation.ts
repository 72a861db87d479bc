// config: the [validation] block of a reference_video.toml that asks for a bit-exact match (every frame,
// every audio window, no drift or drops): what recomp writes for references it computes or emulates.

/** The TOML text of an exact [validation] table and its thresholds. */
export function exactValidationToml(options: { name: string; notes: string; requireAudio: boolean }): string {
  return `[validation]
name = ${JSON.stringify(options.name)}
notes = ${JSON.stringify(options.notes)}
require_audio = ${String(options.requireAudio)}

[validation.thresholds]
frame_match_ratio = 1.0
audio_match_ratio = 1.0
max_drift_frames = 0
max_dropped_frames = 0
max_audio_drift_chunks = 0
`;
}
