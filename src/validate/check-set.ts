// validate: cross-file checks of a reference/capture/validation-config set, run before anything else spends time.
import { existsSync } from "node:fs";
// Modules, not the barrels: every run's pre-flight loads this file, and the barrels would build every schema.
import type { LoadedFile } from "../config/toml.js";
import type { ValidationConfig } from "../config/validation-config.js";
import type { CaptureVideo, HashSource, ReferenceVideo } from "../config/video.js";
import { parseTimecode } from "../config/timecode.js";
import { featuresPathFor } from "../media/features-file.js";
import { RecompError } from "../util/errors.js";
import { effectiveSettings } from "./settings.js";
import { audioProfileOf, captureAudioProfile, resolveIn } from "./sides.js";

export interface ValidationSet {
  reference: LoadedFile<ReferenceVideo>;
  capture: LoadedFile<CaptureVideo>;
  config?: LoadedFile<ValidationConfig> | undefined;
}

export interface CheckSetOptions {
  /**
   * True when the capture's hash lists are yet to be written by the hash_frames/hash_audio stages
   * (the engine before a run): they must then be `list`s and need not exist yet.
   */
  captureHashesPending?: boolean;
  /** Injected for tests and dry runs; defaults to the file system. */
  fileExists?: (path: string) => boolean;
}

/** Every cross-file problem of the set (hash sources, audio requirements, timeline, features for perceptual mode). */
export function checkValidationSet(set: ValidationSet, options: CheckSetOptions = {}): RecompError[] {
  const exists = options.fileExists ?? existsSync;
  const errors: RecompError[] = [];
  const { reference, capture } = set;
  const settings = effectiveSettings(reference.data, set.config?.data);
  const perceptual = settings.mode.value === "perceptual";

  const checkSource = (file: LoadedFile<ReferenceVideo | CaptureVideo>, key: "frames" | "audio", source: HashSource, pending: boolean) => {
    const keyPath = `hashes.${key}`;
    const path = resolveIn(file.dir, source.path);
    if (key === "audio" && source.format === "directory") {
      errors.push(new RecompError({ code: "config_invalid", message: 'format "directory" is for frame folders, not audio', location: { file: file.file, keyPath: `${keyPath}.format` }, hint: 'use "file" or "list"' }));
      return;
    }
    if (pending) {
      if (source.format !== "list") {
        errors.push(new RecompError({
          code: "config_invalid",
          message: `the hash_${key} stage writes a list, but the capture declares format "${source.format}"`,
          location: { file: file.file, keyPath: `${keyPath}.format` },
          hint: 'set format = "list"',
        }));
      }
      return;
    }
    if (!exists(path)) {
      errors.push(new RecompError({ code: "input_missing", message: `${source.path} does not exist`, location: { file: file.file, keyPath: `${keyPath}.path` }, hint: "relative paths resolve against the folder of this file" }));
      return;
    }
    const needsFeatures = source.format === "list" && perceptual;
    if (needsFeatures && !exists(featuresPathFor(path))) {
      errors.push(new RecompError({
        code: "input_missing",
        message: `${source.path} has no features file beside it (${source.path}.features)`,
        location: { file: file.file, keyPath: `${keyPath}.path` },
        hint: `perceptual mode needs it: write the list with \`recomp hash-${key}\`, or point format = "file" at the media`,
      }));
    }
  };

  checkSource(reference, "frames", reference.data.hashes.frames, false);
  checkSource(capture, "frames", capture.data.hashes.frames, options.captureHashesPending ?? false);
  const refAudio = reference.data.hashes.audio;
  const capAudio = capture.data.hashes.audio;
  if (refAudio !== undefined) checkSource(reference, "audio", refAudio, false);
  if (capAudio !== undefined) checkSource(capture, "audio", capAudio, options.captureHashesPending ?? false);

  if (settings.requireAudio.value && (refAudio === undefined || capAudio === undefined)) {
    const missing = refAudio === undefined ? reference : capture;
    errors.push(new RecompError({
      code: "config_invalid",
      message: "require_audio is true but this file has no [hashes.audio]",
      location: { file: missing.file, keyPath: "hashes.audio" },
      hint: "add [hashes.audio] format and path, or set require_audio = false",
    }));
  }
  if (capture.data.audio !== undefined && refAudio !== undefined) {
    const ref = audioProfileOf(reference.data);
    const cap = captureAudioProfile(reference.data, capture.data);
    if (ref.sampleRate !== cap.sampleRate || ref.channels !== cap.channels) {
      errors.push(new RecompError({
        code: "input_mismatch",
        message: `capture audio profile ${cap.sampleRate} Hz x${cap.channels} differs from the reference's ${ref.sampleRate} Hz x${ref.channels}`,
        location: { file: capture.file, keyPath: "audio" },
        hint: "hash both sides at the same rate and channel count",
      }));
    }
  }

  errors.push(...timelineErrors(reference));
  return errors;
}

/** A timeline whose end is not after its start, and events outside it. */
function timelineErrors(reference: LoadedFile<ReferenceVideo>): RecompError[] {
  const errors: RecompError[] = [];
  const timeline = reference.data.timeline;
  if (timeline !== undefined) {
    const start = parseTimecode(timeline.start) ?? 0;
    const end = parseTimecode(timeline.end) ?? 0;
    if (end <= start) {
      errors.push(new RecompError({ code: "config_invalid", message: `timeline end (${end} s) is not after its start (${start} s)`, location: { file: reference.file, keyPath: "timeline.end" } }));
    }
    (timeline.events ?? []).forEach((event, i) => {
      const at = parseTimecode(event.time) ?? 0;
      if (at < start || at > end) {
        errors.push(new RecompError({
          code: "config_invalid",
          message: `event "${event.name}" at ${at} s lies outside the timeline [${start}, ${end}] s`,
          location: { file: reference.file, keyPath: `timeline.events[${i}].time` },
          hint: "move the event or widen [timeline]",
        }));
      }
    });
  }
  return errors;
}
