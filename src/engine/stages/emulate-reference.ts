// engine: emulate_reference (automation.toml reference.source = "emulated"): the module's original code run under
// qemu-aarch64 over the same runtime (docs/reference-emulated.md), hashed into the reference_video.toml that validate
// then checks the recompiled run against, in exact mode.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { runtimeRoot } from "../../emit/runtime-root.js";
import { displayPath } from "../paths.js";
import type { ResolvedConfig } from "../resolved-config.js";
import { skipPlan, type StageDefinition, type StagePlan } from "../stage.js";
import { moduleJsonOf, segmentImages } from "./compile.js";

/** The programs the stage runs: their identity (version or binary digest) enters its fingerprint. */
export const emulationTools = ["qemu-aarch64", "aarch64-linux-gnu-gcc", "make"];

/** The run's frame rate: the capture's (the run command's --fps), which the emulated run must use too. */
function fpsOf(config: ResolvedConfig): number {
  return config.capture.video.fps;
}

/**
 * What the emulated host takes from module.json: the entry and the segments (their images are input files). The
 * lifted functions are not: a change of the lifted code alone (a lifter fix, a patch) reuses the reference.
 */
function originalCodeOf(moduleJson: string): unknown {
  try {
    const data = JSON.parse(readFileSync(moduleJson, "utf8")) as { entry?: unknown; segments?: unknown };
    return { entry: data.entry ?? null, segments: data.segments ?? null };
  } catch {
    return null; // not written yet (lift runs first) or unreadable: the stage's own run reports it
  }
}

export const emulateReferenceStage: StageDefinition = {
  name: "emulate_reference",
  // The module is read by content (its entry, segments and their images), not through lift's key: a config that
  // does not emulate keeps this stage's skip key, and validate's, independent of the lift.
  dependsOn: [],
  plan(config) {
    const p = config.paths;
    const dir = p.emulatedReferenceDir;
    if (dir === undefined) return skipPlan('reference.source is not "emulated"');
    const moduleJson = moduleJsonOf(config);
    const inputFiles: StagePlan["inputFiles"] = [
      { role: "title_toml", path: p.title },
      { role: "input_script_toml", path: p.inputScriptToml ?? "" },
      ...segmentImages(moduleJson),
    ];
    if (p.nro !== undefined) inputFiles.push({ role: "self_nro", path: p.nro });
    return {
      settings: {
        module_json: displayPath(p.configDir, moduleJson),
        original_code: originalCodeOf(moduleJson),
        fps: fpsOf(config),
        out_dir: displayPath(p.configDir, dir),
      },
      inputFiles,
      inputFolders: [{ role: "runtime", path: resolve(runtimeRoot) }],
      tools: emulationTools,
      internal: true,
      outputs: [{ path: dir, role: "emulated_reference", kind: "folder" }],
    };
  },
  async execute(context) {
    const { config } = context;
    const p = config.paths;
    const { makeEmulatedReference } = await import("../../reference/index.js");
    const made = await makeEmulatedReference({
      moduleJsonPath: moduleJsonOf(config),
      title: config.title,
      titleFile: p.title,
      inputScript: p.inputScriptToml ?? "",
      outDir: p.emulatedReferenceDir ?? "",
      fps: fpsOf(config),
      selfNro: p.nro,
      referenceToml: p.referenceVideoToml,
    });
    const note = `${made.frames} frames, ${made.audioWindows} audio windows; ${displayPath(p.configDir, p.referenceVideoToml)}`;
    context.log(`emulated reference: ${note}`);
    return { status: "succeeded", exitCode: null, notes: [note] };
  },
};
