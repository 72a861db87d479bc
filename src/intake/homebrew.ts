/**
 * intake: homebrew mode. Turns an NRO and NSO modules (each listed in provenance with a matching
 * hash) into `segments/<module>/{text,rodata,data}.bin`, `module.json` and `manifest.json` under
 * the intake folder, and the NRO's icon, NACP and RomFS tree under the assets root, which must be
 * outside every repository and apart from the intake and build outputs. Everything is checked
 * before anything is written, everything is written to staging folders that replace the targets
 * only when all went well; output is byte-identical for the same inputs.
 */
import { writeFile } from "node:fs/promises";
import { basename, extname, join, resolve } from "node:path";
import type { IntakeFileRecord, IntakeManifest, IntakeModule } from "../config/intake-module.js";
import { withFileSource } from "../formats/byte-source.js";
import { canonicalJsonPretty } from "../util/canonical-json.js";
import { RecompError, collectErrors, throwIfAny } from "../util/errors.js";
import { sha256Hex } from "../util/hash.js";
import { assertNotInside, assertOutsideGitWorkTree } from "./asset-separation.js";
import { writeNroAssets } from "./homebrew-assets.js";
import { type LoadedModule, loadModule, type ModuleInput } from "./homebrew-modules.js";
import { requireProvenanceInput, type VerifiedInput, type VerifiedProvenance } from "./provenance.js";
import { assetsRootMarker, commitFolder, discardFolder, intakeFolderMarker, stageFolder, type StagedFolder } from "./staged-folder.js";

export interface HomebrewIntakeOptions {
  /** Paths as the user gave them (resolved against the current folder). */
  nro?: string;
  nso: readonly string[];
  provenance: VerifiedProvenance;
  outDir: string;
  assetsDir: string;
  /** Other output folders the assets root must stay apart from (build, lift, ...). */
  otherOutputs?: readonly { path: string; what: string }[];
}

export interface HomebrewIntakeResult {
  /** Files under `outDir`, relative to it, sorted; manifest.json itself excluded. */
  files: IntakeFileRecord[];
  /** Files under `assetsDir`, relative to it, sorted. */
  assets: IntakeFileRecord[];
  manifest: IntakeManifest;
  module: IntakeModule;
}


interface PlannedModule extends ModuleInput {
  absolutePath: string;
  verified: VerifiedInput;
}

const byPath = <T extends { path: string }>(a: T, b: T): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

export async function intakeHomebrew(options: HomebrewIntakeOptions): Promise<HomebrewIntakeResult> {
  const planned = await planModules(options);
  const out = await stageFolder(options.outDir, intakeFolderMarker, "intake folder");
  let assetsFolder: StagedFolder | undefined;
  try {
    assetsFolder = await stageFolder(options.assetsDir, assetsRootMarker, "assets root");
    const loaded: { plan: PlannedModule; module: LoadedModule }[] = [];
    for (const plan of planned) {
      const module = await withFileSource(plan.absolutePath, plan.verified.entry.path, (source) => loadModule(source, plan, out.staging));
      loaded.push({ plan, module });
    }
    loaded.sort((a, b) => (a.plan.name < b.plan.name ? -1 : 1));
    const files = loaded.flatMap(({ module }) => module.files);
    const assets: IntakeFileRecord[] = [];
    for (const { plan, module } of loaded) {
      const nroAssets = module.nro?.assets;
      if (nroAssets === undefined) continue;
      const root = assetsFolder.staging;
      assets.push(...(await withFileSource(plan.absolutePath, plan.verified.entry.path, (source) => writeNroAssets(source, nroAssets, root))));
    }
    await writeFile(join(assetsFolder.staging, assetsRootMarker), "written by `recomp intake homebrew`; replaced on every run\n");
    const moduleJson: IntakeModule = { schema_version: "1", mode: "homebrew", arch: "aarch64", modules: loaded.map(({ module }) => module.entry) };
    files.push(await writeRecord(out.staging, "module.json", canonicalJsonPretty(moduleJson)));
    files.sort(byPath);
    assets.sort(byPath);
    const manifest: IntakeManifest = {
      schema_version: "1",
      stage: "intake",
      mode: "homebrew",
      inputs: planned
        .map(({ verified: { entry } }) => ({ path: entry.path, sha256: entry.sha256.toLowerCase(), size: entry.size, format: entry.format, role: entry.role }))
        .sort(byPath),
      files,
      assets,
    };
    await writeFile(join(out.staging, intakeFolderMarker), canonicalJsonPretty(manifest));
    await commitFolder(out);
    await commitFolder(assetsFolder);
    return { files, assets, manifest, module: moduleJson };
  } catch (error) {
    await discardFolder(out);
    if (assetsFolder !== undefined) await discardFolder(assetsFolder);
    throw error;
  }
}

/** Writes `content` to `root/path` and returns its record. */
async function writeRecord(root: string, path: string, content: string): Promise<IntakeFileRecord> {
  const bytes = Buffer.from(content, "utf8");
  await writeFile(join(root, ...path.split("/")), bytes);
  return { path, sha256: sha256Hex(bytes), size: bytes.length };
}

/** Every problem with the inputs and folders, collected before anything is read or written. */
async function planModules(options: HomebrewIntakeOptions): Promise<PlannedModule[]> {
  const errors: RecompError[] = [];
  const collect = (check: () => unknown): Promise<void> => collectErrors(errors, check);
  const requested: { path: string; format: "nro" | "nso" }[] = [
    ...(options.nro === undefined ? [] : [{ path: options.nro, format: "nro" as const }]),
    ...options.nso.map((path) => ({ path, format: "nso" as const })),
  ];
  if (requested.length === 0) {
    errors.push(new RecompError({ code: "usage", message: "homebrew intake needs an NRO or at least one NSO", hint: "pass --nro FILE and/or --nso FILE" }));
  }
  const planned: PlannedModule[] = [];
  const names = new Map<string, string>();
  for (const { path, format } of requested) {
    const absolutePath = resolve(path);
    const name = basename(path, extname(path));
    const other = names.get(name);
    if (other !== undefined) {
      errors.push(
        new RecompError({
          code: "usage",
          message: `modules "${other}" and "${path}" have the same file stem "${name}"; their segments would overwrite each other`,
          hint: "rename one of the files (the stem names the module)",
        }),
      );
      continue;
    }
    names.set(name, path);
    await collect(() => {
      const verified = requireProvenanceInput(options.provenance, absolutePath, format === "nro" ? "NRO" : "NSO", [format === "nro" ? "nro0" : "nso0"]);
      const { entry } = verified;
      planned.push({ name, format, absolutePath, verified, input: { path: entry.path, sha256: entry.sha256.toLowerCase(), size: entry.size } });
    });
  }
  await collect(() => assertOutsideGitWorkTree(options.assetsDir, "assets root"));
  await collect(() => assertNotInside(options.assetsDir, options.outDir, "assets root", "intake folder"));
  for (const other of options.otherOutputs ?? []) {
    await collect(() => assertNotInside(options.assetsDir, other.path, "assets root", other.what));
  }
  throwIfAny(errors);
  return planned;
}
