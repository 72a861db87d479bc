// emit: reads and validates module.json (every schema problem reported with its key path).
import { loadJsonFile } from "../config/json-file.js";
import { moduleJsonSchema, type ModuleJson } from "../config/module-json.js";

export async function loadModuleJson(file: string): Promise<ModuleJson> {
  return (await loadJsonFile(file, moduleJsonSchema, "module.json")).data;
}
