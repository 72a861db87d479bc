// engine: lift (segments to module.json IR, or `commands.lift` in xci mode) and pipeline (IR to a C project).
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { addressValue } from "../../config/common.js";
import { z } from "zod";
import type { TitleConfig } from "../../config/title.js";
import type { GuestCode } from "../../lift/fault-site.js";
import { runtimeRoot } from "../../emit/runtime-root.js";
import { readTextFile } from "../../config/toml.js";
import { parseExecutionProfile } from "../../formats/execution-profile.js";
import { formatError } from "../../util/errors.js";
import { displayPath } from "../paths.js";
import { syncChangedFiles } from "../sync-files.js";
import type { ResolvedConfig } from "../resolved-config.js";
import { skipPlan, type StageDefinition } from "../stage.js";
import { commandPlan, executeCommand } from "./command-stage.js";

/** Where the first module is mapped: the lowest executable region of title.toml, else 0x10000000. */
export function loadBase(title: TitleConfig): bigint {
  const executable = (title.runtime?.memory_layout?.regions ?? []).filter((region) =>
    typeof region.permissions === "string" ? region.permissions[2] === "x" : region.permissions.execute,
  );
  const bases = executable.map((region) => addressValue(region.base)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return bases[0] ?? 0x10000000n;
}

function liftOutDir(config: ResolvedConfig): string {
  return dirname(config.paths.liftedModuleJson);
}

export const liftStage: StageDefinition = {
  name: "lift",
  dependsOn: ["intake", "analysis"],
  plan(config) {
    const p = config.paths;
    if (config.raw.inputs.mode === "lifted") return skipPlan("lifted mode starts from inputs.module_json");
    if (config.raw.inputs.mode === "xci" && config.raw.commands.lift !== undefined) {
      return commandPlan(config, config.raw.commands.lift, [{ path: p.liftedModuleJson, role: "lifted_module", kind: "file" }]);
    }
    return {
      settings: {
        entry: config.raw.run?.lift_entry ?? "entry",
        mode: config.raw.run?.lift_mode ?? "decode",
        base: `0x${loadBase(config.title).toString(16)}`,
        out_dir: displayPath(p.configDir, liftOutDir(config)),
      },
      inputFiles: [],
      inputFolders: [],
      tools: [],
      internal: true,
      outputs: [{ path: liftOutDir(config), role: "lifted_module", kind: "folder" }],
    };
  },
  async execute(context, plan) {
    if (plan.argv !== undefined) return executeCommand(context, plan);
    const { config } = context;
    // The lifter (its decode tables) loads when the stage runs: a re-run that reuses it never pays for it.
    const { coverageLine, imageFromIntake, liftModule, unsupportedLines } = await import("../../lift/index.js");
    const image = await imageFromIntake(join(config.paths.intakeDir, "module.json"), loadBase(config.title));
    const result = await liftModule({
      image,
      entryName: config.raw.run?.lift_entry ?? "entry",
      mode: config.raw.run?.lift_mode ?? "decode",
      outDir: liftOutDir(config),
    });
    const unsupported = unsupportedLines(result.unsupportedReport, 10);
    const notes = [`${result.module.functions.length} functions lifted`, coverageLine(result.coverage), ...unsupported.slice(0, 2)];
    for (const line of [...notes.slice(0, 2), ...unsupported]) context.log(line);
    return { status: "succeeded", exitCode: null, notes };
  },
};

export function moduleJsonOf(config: ResolvedConfig): string {
  return config.raw.inputs.mode === "lifted" ? (config.paths.moduleJson ?? "") : config.paths.liftedModuleJson;
}

/** The lifted module.json and, unless it was given (lifted mode), the intake it was lifted from. */
export function guestCodeOf(config: ResolvedConfig): GuestCode {
  const moduleJson = moduleJsonOf(config);
  if (config.raw.inputs.mode === "lifted") return { moduleJson };
  return { moduleJson, intake: { moduleJson: join(config.paths.intakeDir, "module.json"), base: loadBase(config.title) } };
}

/**
 * What planning reads of a module.json, in both formats (recomp's IR and the prior art's): the segments' names
 * and image files. Only this is checked here; the whole file is checked by the schema of its format when the
 * stage runs (emit). Planning happens on every run, and building the IR's schemas and checking every
 * function of a large module there cost a no-op re-run more than all its other checks (issue 11).
 */
const plannedSegmentsSchema = z.looseObject({
  segments: z
    .array(
      z.looseObject({
        name: z.string().describe("the segment's name"),
        init_path: z.string().optional().describe("the image file with its initial bytes, relative to module.json's folder"),
      }),
    )
    .optional()
    .describe("the guest memory image"),
});

/** The segment image files a module.json names (read when planning; a broken file fails in execute). */
export function segmentImages(moduleJson: string): { role: string; path: string }[] {
  try {
    const data: unknown = JSON.parse(readFileSync(moduleJson, "utf8"));
    const parsed = plannedSegmentsSchema.safeParse(data);
    if (!parsed.success) return [];
    return (parsed.data.segments ?? []).flatMap((segment) =>
      segment.init_path === undefined ? [] : [{ role: `segment ${segment.name}`, path: resolve(dirname(moduleJson), segment.init_path) }],
    );
  } catch {
    return [];
  }
}

export const pipelineStage: StageDefinition = {
  name: "pipeline",
  dependsOn: ["lift"],
  plan(config) {
    const p = config.paths;
    const moduleJson = moduleJsonOf(config);
    const inputFiles = [{ role: "title_toml", path: p.title }];
    const inputFolders = [{ role: "runtime", path: resolve(runtimeRoot) }];
    // In lifted mode the module and its segment images are inputs; otherwise lift produced them.
    if (config.raw.inputs.mode === "lifted") inputFiles.push({ role: "lifted_module", path: moduleJson }, ...segmentImages(moduleJson));
    if (p.executionProfile !== undefined) inputFiles.push({ role: "execution_profile", path: p.executionProfile });
    return {
      settings: { module_json: displayPath(p.configDir, moduleJson), build_dir: displayPath(p.configDir, p.buildDir) },
      inputFiles,
      inputFolders,
      tools: [],
      internal: true,
      outputs: [{ path: p.buildDir, role: "generated_source", kind: "folder" }],
    };
  },
  async execute(context) {
    const { config } = context;
    // Emitted into a staging folder first, then only files whose bytes changed replace the build's.
    await rm(context.stagingDir, { recursive: true, force: true });
    // The emitter (and the IR's schemas) load only when the stage runs.
    const { emitProject } = await import("../../emit/index.js");
    const profileFile = config.paths.executionProfile;
    const profile = profileFile === undefined ? undefined : parseExecutionProfile(await readTextFile(profileFile, "execution profile"), profileFile);
    const result = await emitProject({
      moduleJsonPath: moduleJsonOf(config),
      outDir: context.stagingDir,
      title: config.title,
      titleFile: config.paths.title,
      entryName: config.raw.run?.lift_entry ?? "entry",
      profile,
    });
    const synced = await syncChangedFiles(context.stagingDir, config.paths.buildDir, result.files);
    for (const warning of result.warnings) context.log(`warning: ${formatError(warning)}`);
    context.log(`${result.files.length} files generated, ${synced.written} changed; make builds ${result.executable}`);
    return {
      status: "succeeded",
      exitCode: null,
      notes: [`${result.files.length} files (${synced.written} changed); executable ${result.executable}`],
      files: synced.paths,
    };
  },
};
