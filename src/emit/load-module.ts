// emit: reads and validates module.json (every schema problem reported with its key path).
import { moduleJsonSchema, type ModuleJson } from "../config/module-json.js";
import { readTextFile, schemaErrors } from "../config/toml.js";
import { RecompError, RecompErrorList } from "../util/errors.js";

export async function loadModuleJson(file: string): Promise<ModuleJson> {
  const text = await readTextFile(file, "module.json");
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new RecompError({
      code: "config_syntax",
      message: `module.json is not JSON: ${(error as Error).message}`,
      location: { file },
      hint: "regenerate it with recomp lift",
    });
  }
  const { errors, value } = schemaErrors(moduleJsonSchema, data, file);
  if (errors.length > 0) throw new RecompErrorList(errors);
  return value as ModuleJson;
}
