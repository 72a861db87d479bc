// engine: asset separation before anything runs: no output root where git would track it (by real
// path, symlinks resolved), and the assets root apart from the intake, lift and build outputs.
import { assertNotInside, trackableViolations } from "../intake/asset-separation.js";
import { RecompErrorList, asRecompErrors, type RecompError } from "../util/errors.js";
import { configuredOutputs } from "./output-keys.js";
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
  // Real paths: a work root that is a symlink into a repository is inside that repository.
  const roots = configuredOutputs(config)
    .filter((o) => !o.derived)
    .map((o) => ({ path: realPathOf(o.path), what: o.key, isFolder: o.kind === "folder" }));
  const located = (found: RecompError[]) => found.map((e) => Object.assign(e, { location: { ...e.location, file: p.configFile } }));
  errors.push(...located(await trackableViolations(roots)));
  for (const [other, key] of [
    [p.intakeDir, "outputs.intake_dir"],
    [p.liftDir, "outputs.lift_dir"],
    [p.buildDir, "outputs.build_dir"],
  ] as const) {
    await collect(() => assertNotInside(p.assetsDir, other, "outputs.assets_dir", key));
  }
  if (errors.length > 0) throw new RecompErrorList(errors);
}
