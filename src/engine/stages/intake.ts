// engine: the intake stage: homebrew (NRO/NSO) or XCI inputs to segment images and module.json;
// assets to the separate assets root. Lifted mode starts from module_json and skips it.
import { intakeHomebrew } from "../../intake/homebrew.js";
import { displayPath } from "../paths.js";
import type { ResolvedConfig } from "../resolved-config.js";
import { skipPlan, type StageDefinition, type StagePlan } from "../stage.js";

function homebrewPlan(config: ResolvedConfig): StagePlan {
  const p = config.paths;
  const rel = (path: string) => displayPath(p.configDir, path);
  return {
    settings: { mode: "homebrew", nro: p.nro === undefined ? null : rel(p.nro), nso: p.nso.map(rel), intake_dir: rel(p.intakeDir), assets_dir: rel(p.assetsDir) },
    inputFiles: [...(p.nro === undefined ? [] : [{ role: "nro", path: p.nro }]), ...p.nso.map((path) => ({ role: "nso", path }))],
    inputFolders: [],
    tools: [],
    internal: true,
    outputs: [
      { path: p.intakeDir, role: "intake", kind: "folder" },
      { path: p.assetsDir, role: "asset", kind: "folder" },
    ],
  };
}

export const intakeStage: StageDefinition = {
  name: "intake",
  dependsOn: [],
  plan(config) {
    switch (config.raw.inputs.mode) {
      case "lifted":
        return skipPlan("lifted mode starts from inputs.module_json");
      case "homebrew":
        return homebrewPlan(config);
      case "xci":
        return skipPlan("xci intake is not wired into automate yet");
    }
  },
  async execute(context) {
    const p = context.config.paths;
    const result = await intakeHomebrew({
      nro: p.nro,
      nso: p.nso,
      provenance: context.provenance,
      outDir: p.intakeDir,
      assetsDir: p.assetsDir,
      otherOutputs: [
        { path: p.liftDir, what: "lift folder" },
        { path: p.buildDir, what: "build folder" },
      ],
    });
    for (const module of result.module.modules) context.log(`module ${module.name}: ${module.segments.length} segments`);
    return { status: "succeeded", exitCode: null, notes: [`${result.files.length} files, ${result.assets.length} assets`] };
  },
};
