// engine: the intake stage: homebrew (NRO/NSO) or XCI inputs to segment images and module.json;
// assets to the separate assets root. Lifted mode starts from module_json and skips it.
import type { XciTool } from "../../intake/xci-tools.js";
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

/** `[tools] xci_tool`: "auto" is recomp's own reader (it needs nothing but the keys). */
function xciTool(config: ResolvedConfig): XciTool {
  const tool = config.raw.tools?.xci_tool ?? "auto";
  return tool === "auto" ? "native" : tool;
}

function xciPlan(config: ResolvedConfig): StagePlan {
  const p = config.paths;
  const rel = (path: string) => displayPath(p.configDir, path);
  const tool = xciTool(config);
  const inputFiles = [
    { role: "xci", path: p.xci ?? "" },
    { role: "keys", path: p.keys ?? "" },
  ];
  if (p.titleKeys !== undefined) inputFiles.push({ role: "title_keys", path: p.titleKeys });
  if (p.xciToolPath !== undefined) inputFiles.push({ role: "xci_tool", path: p.xciToolPath });
  return {
    settings: {
      mode: "xci",
      xci: rel(p.xci ?? ""),
      keys: rel(p.keys ?? ""),
      tool,
      program_title_id: config.title.program_title_id ?? null,
      program_version: config.title.program_version ?? null,
      intake_dir: rel(p.intakeDir),
      assets_dir: rel(p.assetsDir),
    },
    inputFiles,
    inputFolders: [],
    tools: tool !== "native" && p.xciToolPath === undefined ? [tool] : [],
    internal: true,
    outputs: [
      { path: p.intakeDir, role: "intake", kind: "folder" },
      { path: p.assetsDir, role: "asset", kind: "folder" },
    ],
  };
}

function otherOutputs(config: ResolvedConfig): { path: string; what: string }[] {
  return [
    { path: config.paths.liftDir, what: "lift folder" },
    { path: config.paths.buildDir, what: "build folder" },
  ];
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
        return xciPlan(config);
    }
  },
  async execute(context) {
    const { config } = context;
    const p = config.paths;
    // Intake's readers load when the stage runs: a re-run that reuses it never pays for them.
    if (config.raw.inputs.mode === "xci") {
      const { intakeXci } = await import("../../intake/xci-intake.js");
      const result = await intakeXci({
        xci: p.xci ?? "",
        keys: p.keys ?? "",
        titleKeys: p.titleKeys,
        provenance: context.provenance,
        outDir: p.intakeDir,
        assetsDir: p.assetsDir,
        tool: xciTool(config),
        toolPath: p.xciToolPath,
        choice: { programTitleId: config.title.program_title_id, programVersion: config.title.program_version },
        titleFile: p.title,
        otherOutputs: otherOutputs(config),
      });
      context.log(`program ${result.program.name}: title ${result.program.titleId}`);
      return { status: "succeeded", exitCode: null, notes: [`program NCA ${result.program.name}, ${result.manifest.files.length} files, ${result.manifest.assets.length} assets`] };
    }
    const { intakeHomebrew } = await import("../../intake/homebrew.js");
    const result = await intakeHomebrew({
      nro: p.nro,
      nso: p.nso,
      provenance: context.provenance,
      outDir: p.intakeDir,
      assetsDir: p.assetsDir,
      otherOutputs: otherOutputs(config),
    });
    for (const module of result.module.modules) context.log(`module ${module.name}: ${module.segments.length} segments`);
    return { status: "succeeded", exitCode: null, notes: [`${result.files.length} files, ${result.assets.length} assets`] };
  },
};
