// validate: comparing a capture with reference footage (alignment, audio, events, media checks) and writing the reports.
export { validateRun, buildValidationReport, loadValidationSet, reportFileNames, type ValidateRunOptions, type ValidateRunResult } from "./run.js";
export { checkValidationSet, type CheckSetOptions, type ValidationSet } from "./check-set.js";
export { hashCaptureFrames, hashCaptureAudio, type HashStageOptions } from "./hash-stages.js";
export { effectiveSettings, defaultThresholds, type EffectiveSettings, type Setting, type SettingSource } from "./settings.js";
export { audioProfileOf, captureAudioProfile, resolveIn } from "./sides.js";
export { alignBanded, gapCost, type AlignStep } from "./align.js";
export { renderTextReport } from "./report-text.js";
export { renderJunitReport } from "./report-junit.js";
