// emit: reads module.json in either format, recomp's IR or the prior art's (converted), every problem located.
import { checkJson, readJsonFile } from "../config/json-file.js";
import { irVersion } from "../config/ir-names.js";
import type { ModuleJson } from "../config/module-json.js";
import { RecompError } from "../util/errors.js";

export interface LoadedModule {
  module: ModuleJson;
  /** Which format the file was in. */
  format: "recomp" | "prior-art";
  /** Prior-art constructs lifted as traps (a run that reaches one stops there). */
  warnings: RecompError[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The prior art's files have no ir_version; recomp's always have one. */
export function hasPriorArtShape(data: unknown): boolean {
  return isObject(data) && !("ir_version" in data);
}

/** Another IR revision's file (an older recomp's lift): refused before its ops are read in the wrong shape. */
function checkIrVersion(file: string, data: Record<string, unknown>): void {
  if (data.ir_version === irVersion) return;
  throw new RecompError({
    code: "format_unsupported",
    message: `module.json has ir_version ${JSON.stringify(data.ir_version)}; this recomp reads IR version ${irVersion} only (ops as arrays, docs/ir.md)`,
    location: { file, keyPath: "ir_version" },
    hint: "re-run recomp lift (or the lift stage of recomp automate) to write it again",
  });
}

/** module.json of either format; `entryName` picks a prior-art module's entry function (default "entry"). */
export async function loadModuleJson(file: string, entryName?: string): Promise<LoadedModule> {
  const data = await readJsonFile(file, "module.json");
  // Only the file's own format's schemas are built: each is large, and the config loader checks module.json
  // on every run in lifted mode, a no-op re-run included.
  if (hasPriorArtShape(data)) {
    const [{ priorModuleJsonSchema }, { moduleFromPriorIr }] = await Promise.all([import("../config/prior-module-json.js"), import("../lift/from-prior-ir.js")]);
    const prior = checkJson(file, priorModuleJsonSchema, data).data;
    return { ...moduleFromPriorIr(prior, { file, entryName }), format: "prior-art" };
  }
  if (isObject(data)) checkIrVersion(file, data);
  const { moduleJsonSchema } = await import("../config/module-json.js");
  return { module: checkJson(file, moduleJsonSchema, data).data, format: "recomp", warnings: [] };
}
