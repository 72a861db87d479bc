// emit: reads module.json in either format, recomp's IR or the prior art's (converted), every problem located.
import { checkJson, readJsonFile } from "../config/json-file.js";
import { moduleJsonSchema, type ModuleJson } from "../config/module-json.js";
import { priorModuleJsonSchema } from "../config/prior-module-json.js";
import { moduleFromPriorIr } from "../lift/from-prior-ir.js";
import type { RecompError } from "../util/errors.js";

export interface LoadedModule {
  module: ModuleJson;
  /** Which format the file was in. */
  format: "recomp" | "prior-art";
  /** Prior-art constructs lifted as traps (a run that reaches one stops there). */
  warnings: RecompError[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The prior art's files have no ir_version, and give themselves away by a linear `ops` list,
 * a function without `entry`, or a numeric segment base; ours always have entry and hex strings.
 */
export function hasPriorArtShape(data: unknown): boolean {
  if (!isObject(data) || "ir_version" in data) return false;
  const functions = Array.isArray(data.functions) ? data.functions.filter(isObject) : [];
  const segments = Array.isArray(data.segments) ? data.segments.filter(isObject) : [];
  return functions.some((fn) => "ops" in fn || !("entry" in fn)) || segments.some((segment) => typeof segment.base === "number") || !("segments" in data);
}

/** module.json of either format; `entryName` picks a prior-art module's entry function (default "entry"). */
export async function loadModuleJson(file: string, entryName?: string): Promise<LoadedModule> {
  const data = await readJsonFile(file, "module.json");
  if (hasPriorArtShape(data)) {
    const prior = checkJson(file, priorModuleJsonSchema, data).data;
    return { ...moduleFromPriorIr(prior, { file, entryName }), format: "prior-art" };
  }
  return { module: checkJson(file, moduleJsonSchema, data).data, format: "recomp", warnings: [] };
}
