// engine: hash_frames, hash_audio and validate: the capture hashed by decoded content, then compared
// with the reference. Thresholds are read only by validate, so changing one re-runs nothing else.
import { join } from "node:path";
import { featuresPathFor } from "../../media/features-file.js";
import { captureAudioProfile } from "../../validate/sides.js";
// Hashing and validation load when their stages run (import() in execute): a re-run that reuses them never pays for them.
import { displayPath } from "../paths.js";
import type { ResolvedConfig } from "../resolved-config.js";
import { skipPlan, type StageDefinition, type StagePlan } from "../stage.js";

function ffmpegTools(config: ResolvedConfig): string[] {
  return config.paths.ffmpegPath === undefined ? ["ffmpeg"] : [];
}

function ffmpegInputs(config: ResolvedConfig): StagePlan["inputFiles"] {
  return config.paths.ffmpegPath === undefined ? [] : [{ role: "ffmpeg", path: config.paths.ffmpegPath }];
}

function hashOutputs(list: string, role: string): StagePlan["outputs"] {
  return [
    { path: list, role, kind: "file" },
    { path: featuresPathFor(list), role: `${role}_features`, kind: "file" },
  ];
}

export const hashFramesStage: StageDefinition = {
  name: "hash_frames",
  dependsOn: ["extract_frames"],
  plan(config) {
    const p = config.paths;
    return {
      settings: { frames_dir: displayPath(p.configDir, p.framesDir), hash_list: displayPath(p.configDir, p.captureFrameHashes) },
      inputFiles: ffmpegInputs(config),
      inputFolders: [],
      tools: ffmpegTools(config),
      internal: true,
      outputs: hashOutputs(p.captureFrameHashes, "capture_frame_hashes"),
    };
  },
  async execute(context) {
    const p = context.config.paths;
    const { hashCaptureFrames } = await import("../../validate/hash-stages.js");
    const written = await hashCaptureFrames({ captureVideoToml: p.captureVideoToml, input: p.framesDir, ffmpegPath: p.ffmpegPath });
    for (const file of written) context.log(`wrote ${displayPath(p.configDir, file)}`);
    return { status: "succeeded", exitCode: null, notes: [] };
  },
};

export const hashAudioStage: StageDefinition = {
  name: "hash_audio",
  dependsOn: ["extract_audio"],
  plan(config) {
    const p = config.paths;
    if (p.audioFile === undefined || p.captureAudioHashes === undefined) return skipPlan("capture.audio_file is not set");
    return {
      // The profile, not the whole reference file: a threshold edit there must not re-hash audio.
      settings: {
        audio_file: displayPath(p.configDir, p.audioFile),
        hash_list: displayPath(p.configDir, p.captureAudioHashes),
        profile: captureAudioProfile(config.reference, config.capture),
      },
      inputFiles: ffmpegInputs(config),
      inputFolders: [],
      tools: ffmpegTools(config),
      internal: true,
      outputs: hashOutputs(p.captureAudioHashes, "capture_audio_hashes"),
    };
  },
  async execute(context) {
    const p = context.config.paths;
    const { hashCaptureAudio } = await import("../../validate/hash-stages.js");
    const written = await hashCaptureAudio({
      captureVideoToml: p.captureVideoToml,
      referenceVideoToml: context.config.reference === undefined ? undefined : p.referenceVideoToml,
      input: p.audioFile ?? "",
      ffmpegPath: p.ffmpegPath,
    });
    for (const file of written) context.log(`wrote ${displayPath(p.configDir, file)}`);
    return { status: "succeeded", exitCode: null, notes: [] };
  },
};

/**
 * Against a reference made by emulation: the reference's files are emulate_reference's outputs (its key is upstream),
 * so only the configs validate reads are inputs here.
 */
function emulatedValidationPlan(config: ResolvedConfig): StagePlan {
  const p = config.paths;
  const inputFiles: StagePlan["inputFiles"] = [{ role: "capture_video_toml", path: p.captureVideoToml }, ...ffmpegInputs(config)];
  if (p.validationConfigToml !== undefined) inputFiles.push({ role: "validation_config_toml", path: p.validationConfigToml });
  return {
    settings: { validation_dir: displayPath(p.configDir, p.validationDir), reference: "emulated" },
    inputFiles,
    inputFolders: [],
    tools: ffmpegTools(config),
    internal: true,
    outputs: [{ path: p.validationDir, role: "validation_report", kind: "folder" }],
  };
}

/**
 * With a reference made by emulation, the two runs as the runtime wrote them: the first differing frame, audio
 * window, replay-log line and service call (each "identical" when none), else nothing.
 */
async function emulatedRunComparison(config: ResolvedConfig): Promise<string[]> {
  const p = config.paths;
  if (p.emulatedReferenceDir === undefined || p.runDir === undefined) return [];
  const { compareRuns, formatComparison, runFilesIn } = await import("../../reference/index.js");
  return formatComparison(await compareRuns(runFilesIn(join(p.emulatedReferenceDir, "run")), runFilesIn(p.runDir)));
}

export const validateStage: StageDefinition = {
  name: "validate",
  dependsOn: ["hash_frames", "hash_audio", "emulate_reference"],
  plan(config) {
    const p = config.paths;
    if (p.emulatedReferenceDir !== undefined) return emulatedValidationPlan(config);
    if (config.reference === undefined) return skipPlan(`no reference: ${displayPath(p.configDir, p.referenceVideoToml)} does not exist yet`);
    const inputFiles: StagePlan["inputFiles"] = [
      { role: "reference_video_toml", path: p.referenceVideoToml },
      { role: "capture_video_toml", path: p.captureVideoToml },
      ...ffmpegInputs(config),
    ];
    if (p.validationConfigToml !== undefined) inputFiles.push({ role: "validation_config_toml", path: p.validationConfigToml });
    const referenceDir = join(p.referenceVideoToml, "..");
    const inputFolders: StagePlan["inputFolders"] = [];
    for (const source of [config.reference.hashes.frames, config.reference.hashes.audio]) {
      if (source === undefined) continue;
      const path = join(referenceDir, source.path);
      if (source.format === "directory") inputFolders.push({ role: "reference_hashes", path });
      else inputFiles.push({ role: "reference_hashes", path }, { role: "reference_features", path: featuresPathFor(path) });
    }
    return {
      settings: { validation_dir: displayPath(p.configDir, p.validationDir) },
      inputFiles,
      inputFolders,
      tools: ffmpegTools(config),
      internal: true,
      outputs: [{ path: p.validationDir, role: "validation_report", kind: "folder" }],
    };
  },
  async execute(context) {
    const p = context.config.paths;
    const { reportFileNames, validateRun } = await import("../../validate/run.js");
    const result = await validateRun({
      referenceVideoToml: p.referenceVideoToml,
      captureVideoToml: p.captureVideoToml,
      validationConfigToml: p.validationConfigToml,
      outDir: p.validationDir,
      ffmpegPath: p.ffmpegPath,
    });
    for (const line of result.summary.split("\n")) context.log(line);
    const calls = await emulatedRunComparison(context.config);
    for (const line of calls) context.log(line);
    return {
      status: "succeeded",
      exitCode: null,
      notes: [result.passed ? "validation passed" : "validation failed", ...calls],
      validation: { passed: result.passed, reportPath: join(p.validationDir, reportFileNames.json) },
    };
  },
};
