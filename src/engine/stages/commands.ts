// engine: the command stages of the loop: build, run, capture, extract_frames, extract_audio, analysis.
import { commandPlan, commandStage, executeCommand } from "./command-stage.js";
import { skipPlan, type StageDefinition } from "../stage.js";

export const buildStage = commandStage({
  name: "build",
  dependsOn: ["pipeline"],
  argv: (config) => config.raw.commands.build,
  outputs: (config) => [{ path: config.paths.buildDir, role: "build", kind: "folder" }],
});

export const runStage = commandStage({
  name: "run",
  dependsOn: ["build"],
  argv: (config) => config.raw.commands.run,
  // Without outputs.run_dir the run's products are unknown: every stage after a re-run runs too. With it, the folder is
  // emptied first: a re-run that presents fewer frames must not leave the previous run's later frames to be captured.
  outputs: (config) => (config.paths.runDir === undefined ? [] : [{ path: config.paths.runDir, role: "run_output", kind: "folder", exclusive: true }]),
  // The input script is what the run replays: its content is an input even when only RECOMP_INPUT_SCRIPT_TOML names it.
  inputs: (config) => (config.paths.inputScriptToml === undefined ? [] : [{ role: "input_script", path: config.paths.inputScriptToml }]),
});

export const captureStage = commandStage({
  name: "capture",
  dependsOn: ["run"],
  argv: (config) => config.raw.commands.capture,
  outputs: (config) => [{ path: config.paths.captureVideo, role: "capture_video", kind: "file" }],
});

export const extractFramesStage = commandStage({
  name: "extract_frames",
  dependsOn: ["capture"],
  argv: (config) => config.raw.commands.extract_frames,
  outputs: (config) => [{ path: config.paths.framesDir, role: "capture_frames", kind: "folder", exclusive: true }],
});

export const extractAudioStage = commandStage({
  name: "extract_audio",
  dependsOn: ["capture"],
  argv: (config) => config.raw.commands.extract_audio ?? { skip: "capture.audio_file is not set" },
  outputs: (config) => (config.paths.audioFile === undefined ? [] : [{ path: config.paths.audioFile, role: "capture_audio", kind: "file" }]),
});

/** [analysis]: runs its command, then requires every expected output. */
export const analysisStage: StageDefinition = {
  name: "analysis",
  dependsOn: ["intake"],
  plan(config) {
    const analysis = config.raw.analysis;
    if (analysis?.command === undefined) return skipPlan("no [analysis] command is configured");
    const plan = commandPlan(
      config,
      analysis.command,
      config.paths.analysisOutputs.map((path) => ({ path, role: "analysis_output", kind: "file" as const })),
    );
    for (const [role, path] of [
      ["name_map_json", config.paths.nameMapJson],
      ["runtime_trace_manifest", config.paths.runtimeTraceManifest],
    ] as const) {
      if (path !== undefined) plan.inputFiles.push({ role, path });
    }
    return plan;
  },
  execute: executeCommand,
};
