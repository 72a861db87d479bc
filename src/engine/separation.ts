// engine: asset separation before anything runs: no output root where git would track it (by real
// path, symlinks resolved), and the assets root apart from the intake, lift and build outputs.
import { assertNotInside, trackableViolations } from "../intake/asset-separation.js";
import { RecompErrorList, asRecompErrors, type RecompError } from "../util/errors.js";
import { realPathOf } from "./output-safety.js";
import type { ResolvedConfig } from "./resolved-config.js";

export async function checkSeparation(config: ResolvedConfig): Promise<void> {
  const p = config.paths;
  const errors: RecompError[] = [];
  const collect = async (check: () => unknown) => {
    try {
      await check();
    } catch (error) {
      const found = asRecompErrors(error);
      if (found.length === 0) throw error;
      errors.push(...found.map((e) => Object.assign(e, { location: { ...e.location, file: e.location.file ?? p.configFile } })));
    }
  };
  const folders: [string, string][] = [
    [p.workRoot, "outputs.work_root"],
    [p.intakeDir, "outputs.intake_dir"],
    [p.liftDir, "outputs.lift_dir"],
    [p.buildDir, "outputs.build_dir"],
    [p.assetsDir, "outputs.assets_dir"],
    [p.validationDir, "outputs.validation_dir"],
    [p.logDir, "outputs.log_dir"],
    [p.framesDir, "capture.frames_dir"],
    ...(p.runDir === undefined ? [] : [[p.runDir, "outputs.run_dir"] as [string, string]]),
  ];
  const files: [string | undefined, string][] = [
    [p.captureVideo, "capture.video_path"],
    [p.audioFile, "capture.audio_file"],
    [p.runManifest, "outputs.run_manifest"],
    [p.liftedModuleJson, "outputs.lifted_module_json"],
  ];
  // Real paths: a work root that is a symlink into a repository is inside that repository.
  for (const entry of [...folders, ...files]) if (entry[0] !== undefined) entry[0] = await realPathOf(entry[0]);
  const located = (found: RecompError[]) => found.map((e) => Object.assign(e, { location: { ...e.location, file: p.configFile } }));
  errors.push(
    ...located(
      await trackableViolations([
        ...folders.map(([path, what]) => ({ path, what, isFolder: true })),
        ...files.flatMap(([path, what]) => (path === undefined ? [] : [{ path, what, isFolder: false }])),
      ]),
    ),
  );
  for (const [other, key] of [
    [p.intakeDir, "outputs.intake_dir"],
    [p.liftDir, "outputs.lift_dir"],
    [p.buildDir, "outputs.build_dir"],
  ] as const) {
    await collect(() => assertNotInside(p.assetsDir, other, "outputs.assets_dir", key));
  }
  if (errors.length > 0) throw new RecompErrorList(errors);
}
