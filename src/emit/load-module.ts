// emit: reads module.json in either format, recomp's IR or the prior art's (converted), every problem located.
import { checkJson, readJsonFile } from "../config/json-file.js";
import { irVersion, moduleJsonSchema, type ModuleJson } from "../config/module-json.js";
import { priorModuleJsonSchema } from "../config/prior-module-json.js";
import { moduleFromPriorIr } from "../lift/from-prior-ir.js";
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
  if (hasPriorArtShape(data)) {
    const prior = checkJson(file, priorModuleJsonSchema, data).data;
    return { ...moduleFromPriorIr(prior, { file, entryName }), format: "prior-art" };
  }
  if (isObject(data)) checkIrVersion(file, data);
  return { module: checkJson(file, moduleJsonSchema, data).data, format: "recomp", warnings: [] };
}
