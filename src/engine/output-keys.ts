// engine: every output path the config names, with the key that names it: one table for the asset
// separation check, the output safety check and their errors.
import type { ResolvedConfig } from "./resolved-config.js";

export interface ConfiguredOutput {
  path: string;
  /** The config key (or "<key> of <file>") to name in errors. */
  key: string;
  kind: "folder" | "file";
  /** Named in another file than automation.toml (capture hash lists) or by the analysis command: not an output root. */
  derived: boolean;
}

/** Stage outputs first: a frames folder that is the work root is named by capture.frames_dir. */
export function configuredOutputs(config: ResolvedConfig): ConfiguredOutput[] {
  const p = config.paths;
  const rows: [string | undefined, string, "folder" | "file", boolean][] = [
    [p.framesDir, "capture.frames_dir", "folder", false],
    [p.intakeDir, "outputs.intake_dir", "folder", false],
    [p.liftDir, "outputs.lift_dir", "folder", false],
    [p.buildDir, "outputs.build_dir", "folder", false],
    [p.assetsDir, "outputs.assets_dir", "folder", false],
    [p.validationDir, "outputs.validation_dir", "folder", false],
    [p.logDir, "outputs.log_dir", "folder", false],
    [p.runManifest, "outputs.run_manifest", "file", false],
    [p.runDir, "outputs.run_dir", "folder", false],
    [p.emulatedReferenceDir, "reference.source", "folder", false],
    [p.liftedModuleJson, "outputs.lifted_module_json", "file", false],
    [p.captureVideo, "capture.video_path", "file", false],
    [p.workRoot, "outputs.work_root", "folder", false],
    [p.audioFile, "capture.audio_file", "file", false],
    [p.captureFrameHashes, `hashes.frames.path of ${p.captureVideoToml}`, "file", true],
    [p.captureAudioHashes, `hashes.audio.path of ${p.captureVideoToml}`, "file", true],
    ...p.analysisOutputs.map((path, i): [string, string, "file", boolean] => [path, `analysis.expected_outputs[${i}]`, "file", true]),
  ];
  return rows.flatMap(([path, key, kind, derived]) => (path === undefined || path === "" ? [] : [{ path, key, kind, derived }]));
}
