// engine: automation.toml loaded, every path resolved, and every cross-file rule checked before any
// stage starts. All problems of all files are collected and reported together (exit 2).
import { existsSync } from "node:fs";
import { access } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { z } from "zod";
import { automationSchema, type AutomationConfig, type StageName } from "../config/automation.js";
import { inputScriptSchema, type InputScript } from "../config/input-script.js";
import { titleSchema, type TitleConfig } from "../config/title.js";
import { parseTomlText, readTextFile, schemaErrors, type LoadedFile } from "../config/toml.js";
import { parseExecutionProfile } from "../formats/execution-profile.js";
import { validationConfigSchema, type ValidationConfig } from "../config/validation-config.js";
import { captureVideoSchema, referenceVideoSchema, type CaptureVideo, type ReferenceVideo } from "../config/video.js";
import { RecompError, RecompErrorList, asRecompErrors } from "../util/errors.js";
import { checkValidationSet } from "../validate/check-set.js";
import { resolveConfigPath } from "./paths.js";
import { parseRunWindows, type RunWindow } from "./policy.js";
import { redactionPatternsFor, type RedactionPattern } from "./redact.js";
import { referenceHashErrors } from "./reference-hashes.js";

export interface EnginePaths {
  configFile: string;
  configDir: string;
  provenance: string;
  title: string;
  moduleJson: string | undefined;
  nro: string | undefined;
  nso: string[];
  xci: string | undefined;
  keys: string | undefined;
  titleKeys: string | undefined;
  runtimePath: string | undefined;
  executionProfile: string | undefined;
  workRoot: string;
  intakeDir: string;
  liftDir: string;
  buildDir: string;
  assetsDir: string;
  validationDir: string;
  logDir: string;
  runManifest: string;
  runDir: string | undefined;
  liftedModuleJson: string;
  stateDir: string;
  /** reference_video.toml: the configured file, or (reference.source = "emulated") the one emulate_reference writes. */
  referenceVideoToml: string;
  /** reference.source = "emulated": the emulate_reference stage's folder under the work root (build/, run/, lists). */
  emulatedReferenceDir: string | undefined;
  captureVideoToml: string;
  validationConfigToml: string | undefined;
  inputScriptToml: string | undefined;
  captureVideo: string;
  framesDir: string;
  audioFile: string | undefined;
  captureFrameHashes: string;
  captureAudioHashes: string | undefined;
  analysisOutputs: string[];
  nameMapJson: string | undefined;
  runtimeTraceManifest: string | undefined;
  xciToolPath: string | undefined;
  ffmpegPath: string | undefined;
}

export interface ResolvedConfig {
  raw: AutomationConfig;
  paths: EnginePaths;
  title: TitleConfig;
  /** Undefined when reference_video.toml does not exist yet: validate is skipped, the verdict is "no reference". */
  reference: ReferenceVideo | undefined;
  capture: CaptureVideo;
  validationConfig: ValidationConfig | undefined;
  inputScript: InputScript | undefined;
  runWindows: RunWindow[];
  redactionPatterns: RedactionPattern[];
  /** Problems that do not stop the run (printed once). */
  warnings: string[];
}

/** Collects errors while resolving; resolution goes on so that every problem is found in one pass. */
class Collector {
  readonly errors: RecompError[] = [];
  readonly warnings: string[] = [];
  constructor(readonly file: string, readonly dir: string) {}

  path(value: string, keyPath: string, baseDir = this.dir, file = this.file): string {
    const result = resolveConfigPath(baseDir, value, file, keyPath);
    if (result.error !== undefined) this.errors.push(result.error);
    return result.path ?? resolve(baseDir, value);
  }

  optionalPath(value: string | undefined, keyPath: string): string | undefined {
    return value === undefined ? undefined : this.path(value, keyPath);
  }

  fail(message: string, keyPath: string | undefined, hint?: string, file = this.file): void {
    this.errors.push(new RecompError({ code: "config_invalid", message, location: { file, keyPath }, hint }));
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Loads a referenced TOML file; its problems join the collector instead of stopping the scan. */
async function loadReferenced<S extends z.ZodType>(
  collector: Collector,
  path: string,
  schema: S,
  what: string,
  keyPath: string,
): Promise<LoadedFile<z.infer<S>> | undefined> {
  try {
    const text = await readTextFile(path, what);
    const raw = parseTomlText(text, path);
    const { errors, value } = schemaErrors(schema, raw, path, text);
    collector.errors.push(...errors);
    return errors.length === 0 ? { file: path, dir: dirname(path), data: value as z.infer<S> } : undefined;
  } catch (error) {
    const found = asRecompErrors(error);
    if (found.length === 0) throw error;
    for (const problem of found) {
      collector.errors.push(
        problem.code === "input_missing"
          ? new RecompError({
              code: "input_missing",
              message: `${what} "${path}" does not exist`,
              location: { file: collector.file, keyPath },
              hint: "paths resolve against the folder of automation.toml",
            })
          : problem,
      );
    }
    return undefined;
  }
}

export async function loadAutomationConfig(configFile: string): Promise<ResolvedConfig> {
  const file = resolve(configFile);
  const text = await readTextFile(file, "automation config");
  const parsed = schemaErrors(automationSchema, parseTomlText(text, configFile), configFile, text);
  if (parsed.errors.length > 0) throw new RecompErrorList(parsed.errors);
  const raw = parsed.value as AutomationConfig;
  const c = new Collector(configFile, dirname(file));
  const paths = resolvePaths(c, raw, file);

  checkModeRules(c, raw);
  await checkInputsExist(c, raw, paths);

  const title = await loadReferenced(c, paths.title, titleSchema, "title config", "inputs.config");
  // No reference_video.toml yet (a new title): the loop runs up to capture and hashing; the verdict is "no reference".
  // A reference by emulation is written by its stage in this run: read by validate, never here.
  const emulated = paths.emulatedReferenceDir !== undefined;
  const noReference = emulated || !existsSync(paths.referenceVideoToml);
  const reference = noReference ? undefined : await loadReferenced(c, paths.referenceVideoToml, referenceVideoSchema, "reference video config", "reference.reference_video_toml");
  const capture = await loadReferenced(c, paths.captureVideoToml, captureVideoSchema, "capture video config", "reference.capture_video_toml");
  const validationConfig =
    paths.validationConfigToml === undefined
      ? undefined
      : await loadReferenced(c, paths.validationConfigToml, validationConfigSchema, "validation config", "reference.validation_config_toml");
  const inputScript =
    paths.inputScriptToml === undefined
      ? undefined
      : await loadReferenced(c, paths.inputScriptToml, inputScriptSchema, "input script", "reference.input_script_toml");

  if (paths.executionProfile !== undefined && existsSync(paths.executionProfile)) {
    try {
      parseExecutionProfile(await readTextFile(paths.executionProfile, "execution profile"), paths.executionProfile);
    } catch (error) {
      const found = asRecompErrors(error);
      if (found.length === 0) throw error;
      c.errors.push(...found);
    }
  }
  if (raw.inputs.mode === "lifted" && paths.moduleJson !== undefined) {
    try {
      // Loaded for lifted mode only: the module schemas are large and other modes never read a module.json here.
      const { loadModuleJson } = await import("../emit/load-module.js");
      await loadModuleJson(paths.moduleJson, raw.run?.lift_entry);
    } catch (error) {
      const found = asRecompErrors(error);
      if (found.length === 0) throw error;
      // A missing module_json is already reported with its key.
      c.errors.push(...found.filter((e) => e.code !== "input_missing"));
    }
  }
  if (capture !== undefined) checkCaptureAgreement(c, raw, paths, capture);
  if (reference !== undefined) checkThresholdPlacement(c, reference);
  if (reference !== undefined && capture !== undefined) {
    // The capture's hash lists are written by the hash stages later; the reference's must exist now.
    c.errors.push(...checkValidationSet({ reference, capture, config: validationConfig }, { captureHashesPending: true }));
  }
  if (reference !== undefined) c.errors.push(...(await referenceHashErrors(reference)));

  let runWindows: RunWindow[] = [];
  try {
    runWindows = parseRunWindows(raw.policy?.run_windows ?? [], configFile);
  } catch (error) {
    c.errors.push(...asRecompErrors(error));
  }
  let redactionPatterns: RedactionPattern[] = [];
  try {
    redactionPatterns = await redactionPatternsFor(raw.policy?.redaction_profile, raw.policy?.redaction_patterns ?? [], configFile);
  } catch (error) {
    c.errors.push(...asRecompErrors(error));
  }

  if (c.errors.length > 0 || title === undefined || (reference === undefined && !noReference) || capture === undefined) {
    throw new RecompErrorList(c.errors);
  }
  return {
    raw,
    paths,
    title: title.data,
    reference: reference?.data,
    capture: capture.data,
    validationConfig: validationConfig?.data,
    inputScript: inputScript?.data,
    runWindows,
    redactionPatterns,
    warnings: c.warnings,
  };
}

function resolvePaths(c: Collector, raw: AutomationConfig, file: string): EnginePaths {
  const out = raw.outputs;
  const workRoot = c.path(out.work_root, "outputs.work_root");
  const under = (value: string | undefined, key: string, fallback: string) =>
    value === undefined ? resolve(workRoot, fallback) : c.path(value, `outputs.${key}`);
  const liftDir = under(out.lift_dir, "lift_dir", "lift");
  const emulatedReferenceDir = raw.reference.source === "emulated" ? resolve(workRoot, "reference-emulated") : undefined;
  const referenceVideoToml =
    emulatedReferenceDir !== undefined
      ? resolve(emulatedReferenceDir, "reference_video.toml")
      : c.path(raw.reference.reference_video_toml ?? "reference_video.toml", "reference.reference_video_toml");
  const captureVideoToml = c.path(raw.reference.capture_video_toml, "reference.capture_video_toml");
  return {
    configFile: file,
    configDir: dirname(file),
    provenance: c.path(raw.inputs.provenance, "inputs.provenance"),
    title: c.path(raw.inputs.config, "inputs.config"),
    moduleJson: c.optionalPath(raw.inputs.module_json, "inputs.module_json"),
    nro: c.optionalPath(raw.inputs.nro, "inputs.nro"),
    nso: (raw.inputs.nso ?? []).map((p, i) => c.path(p, `inputs.nso[${i}]`)),
    xci: c.optionalPath(raw.inputs.xci, "inputs.xci"),
    keys: c.optionalPath(raw.inputs.keys, "inputs.keys"),
    titleKeys: c.optionalPath(raw.inputs.title_keys, "inputs.title_keys"),
    runtimePath: c.optionalPath(raw.inputs.runtime_path, "inputs.runtime_path"),
    executionProfile: c.optionalPath(raw.inputs.execution_profile, "inputs.execution_profile"),
    workRoot,
    intakeDir: under(out.intake_dir, "intake_dir", "intake"),
    liftDir,
    buildDir: under(out.build_dir, "build_dir", "build"),
    assetsDir: under(out.assets_dir, "assets_dir", "assets"),
    validationDir: under(out.validation_dir, "validation_dir", "validation"),
    logDir: under(out.log_dir, "log_dir", "logs"),
    runManifest: under(out.run_manifest, "run_manifest", "run-manifest.json"),
    runDir: c.optionalPath(out.run_dir, "outputs.run_dir"),
    liftedModuleJson: out.lifted_module_json === undefined ? resolve(liftDir, "module.json") : c.path(out.lifted_module_json, "outputs.lifted_module_json"),
    stateDir: resolve(workRoot, ".recomp"),
    referenceVideoToml,
    emulatedReferenceDir,
    captureVideoToml,
    validationConfigToml: c.optionalPath(raw.reference.validation_config_toml, "reference.validation_config_toml"),
    inputScriptToml: c.optionalPath(raw.reference.input_script_toml, "reference.input_script_toml"),
    captureVideo: c.path(raw.capture.video_path, "capture.video_path"),
    framesDir: c.path(raw.capture.frames_dir, "capture.frames_dir"),
    audioFile: c.optionalPath(raw.capture.audio_file, "capture.audio_file"),
    // Filled in once capture_video.toml is read.
    captureFrameHashes: "",
    captureAudioHashes: undefined,
    analysisOutputs: (raw.analysis?.expected_outputs ?? []).map((p, i) => c.path(p, `analysis.expected_outputs[${i}]`)),
    nameMapJson: c.optionalPath(raw.analysis?.name_map_json, "analysis.name_map_json"),
    runtimeTraceManifest: c.optionalPath(raw.analysis?.runtime_trace_manifest, "analysis.runtime_trace_manifest"),
    xciToolPath: c.optionalPath(raw.tools?.xci_tool_path, "tools.xci_tool_path"),
    ffmpegPath: c.optionalPath(raw.tools?.ffmpeg_path, "tools.ffmpeg_path"),
  };
}

function checkModeRules(c: Collector, raw: AutomationConfig): void {
  const inputs = raw.inputs;
  const need = (present: boolean, key: string, why: string) => {
    if (!present) c.fail(`is required in ${inputs.mode} mode`, `inputs.${key}`, why);
  };
  if (inputs.mode === "homebrew") need(inputs.nro !== undefined || (inputs.nso ?? []).length > 0, "nro", "set nro to the homebrew NRO to intake (or nso to its NSO modules)");
  if (inputs.mode === "xci") {
    need(inputs.xci !== undefined, "xci", "set xci to the game-card image");
    need(inputs.keys !== undefined, "keys", "set keys to your keyset file (prod.keys)");
  }
  if (inputs.mode === "lifted") need(inputs.module_json !== undefined, "module_json", "set module_json to the lifted module");
  const unused = (present: boolean, key: string, modes: string) => {
    if (present) c.warnings.push(`${c.file}: inputs.${key} is only used in ${modes} mode; ignored in ${inputs.mode} mode`);
  };
  if (inputs.mode !== "homebrew") {
    unused(inputs.nro !== undefined, "nro", "homebrew");
    unused(inputs.nso !== undefined, "nso", "homebrew");
  }
  if (inputs.mode !== "xci") {
    unused(inputs.xci !== undefined, "xci", "xci");
    unused(inputs.keys !== undefined, "keys", "xci");
    unused(inputs.title_keys !== undefined, "title_keys", "xci");
    if (raw.commands.lift !== undefined) c.warnings.push(`${c.file}: commands.lift is only used in xci mode`);
  }
  if (inputs.mode !== "lifted") unused(inputs.module_json !== undefined, "module_json", "lifted");
  if (raw.capture.audio_file !== undefined && raw.commands.extract_audio === undefined) {
    c.fail("is required when capture.audio_file is set", "commands.extract_audio", "add an argv that writes capture.audio_file");
  }
  checkReferenceSource(c, raw);
  const mode = raw.policy?.execution_mode ?? "local";
  if (mode !== "local") {
    c.fail(`execution_mode "${mode}" is not available yet: only "local" runs are implemented`, "policy.execution_mode", 'set execution_mode = "local"');
  }
}

/** A reference from a file names it; one made by emulation needs what the emulated run replays and where the run's log is. */
function checkReferenceSource(c: Collector, raw: AutomationConfig): void {
  const reference = raw.reference;
  if (reference.source !== "emulated") {
    if (reference.reference_video_toml === undefined) {
      c.fail("is required", "reference.reference_video_toml", 'name the reference_video.toml, or set reference.source = "emulated" to make the reference by emulation');
    }
    return;
  }
  if (reference.reference_video_toml !== undefined) {
    c.fail(
      'names a reference file, but reference.source = "emulated" makes the reference (<work_root>/reference-emulated/reference_video.toml)',
      "reference.reference_video_toml",
      'remove one of the two keys',
    );
  }
  if (reference.input_script_toml === undefined) {
    c.fail('is required when reference.source = "emulated"', "reference.input_script_toml", "the emulated run replays the same input script as the recompiled run");
  }
  if (raw.outputs.run_dir === undefined) {
    c.fail('is required when reference.source = "emulated"', "outputs.run_dir", "set it to the run command's --capture-dir, where the runtime writes replay-log.jsonl");
  }
}

async function checkInputsExist(c: Collector, raw: AutomationConfig, paths: EnginePaths): Promise<void> {
  const required: [string | undefined, string][] = [
    [paths.provenance, "inputs.provenance"],
    [paths.title, "inputs.config"],
    [paths.runtimePath, "inputs.runtime_path"],
    [paths.executionProfile, "inputs.execution_profile"],
    [paths.nameMapJson, "analysis.name_map_json"],
    [paths.runtimeTraceManifest, "analysis.runtime_trace_manifest"],
  ];
  if (raw.inputs.mode === "lifted") required.push([paths.moduleJson, "inputs.module_json"]);
  if (raw.inputs.mode === "homebrew") {
    required.push([paths.nro, "inputs.nro"]);
    paths.nso.forEach((p, i) => required.push([p, `inputs.nso[${i}]`]));
  }
  if (raw.inputs.mode === "xci") required.push([paths.xci, "inputs.xci"], [paths.keys, "inputs.keys"], [paths.titleKeys, "inputs.title_keys"]);
  for (const [path, keyPath] of required) {
    // The title config and the other TOMLs report their own absence when they are loaded.
    if (path === undefined || keyPath === "inputs.config") continue;
    if (!(await exists(path))) {
      c.errors.push(
        new RecompError({
          code: "input_missing",
          message: `"${path}" does not exist`,
          location: { file: c.file, keyPath },
          hint: "paths resolve against the folder of automation.toml",
        }),
      );
    }
  }
}

function checkCaptureAgreement(c: Collector, raw: AutomationConfig, paths: EnginePaths, capture: LoadedFile<CaptureVideo>): void {
  const fromCapture = c.path(capture.data.video.path, "video.path", capture.dir, capture.file);
  if (fromCapture !== paths.captureVideo) {
    c.fail(
      `capture.video_path is ${paths.captureVideo} but ${capture.file} [video] path is ${fromCapture}`,
      "capture.video_path",
      "both must name the same file (each relative to its own file's folder)",
    );
  }
  paths.captureFrameHashes = c.path(capture.data.hashes.frames.path, "hashes.frames.path", capture.dir, capture.file);
  if (capture.data.hashes.audio !== undefined) {
    paths.captureAudioHashes = c.path(capture.data.hashes.audio.path, "hashes.audio.path", capture.dir, capture.file);
  }
  if (raw.capture.audio_file !== undefined && capture.data.hashes.audio === undefined) {
    c.fail(
      "capture.audio_file is set but the capture config has no [hashes.audio]",
      "capture.audio_file",
      `add [hashes.audio] format = "list", path = "..." to ${capture.file}`,
    );
  }
}

function checkThresholdPlacement(c: Collector, reference: LoadedFile<ReferenceVideo>): void {
  if (reference.data.thresholds !== undefined && reference.data.validation?.thresholds !== undefined) {
    c.fail("thresholds are given both at the top level and in [validation.thresholds]", "thresholds", "keep only [validation.thresholds]", reference.file);
  }
}

export function stageTimeoutMs(config: ResolvedConfig, stage: StageName): number | undefined {
  const minutes = config.raw.run?.stage_timeouts?.[stage] ?? config.raw.run?.stage_timeout_minutes;
  return minutes === undefined ? undefined : Math.round(minutes * 60_000);
}
