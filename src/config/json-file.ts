// config: reading a JSON file against its zod schema (syntax and every schema problem located).
import { dirname } from "node:path";
import type { z } from "zod";
import { RecompError, RecompErrorList } from "../util/errors.js";
import { readTextFile, schemaErrors, type LoadedFile } from "./toml.js";

/** The parsed JSON value of a file (syntax errors located), before any schema check. */
export async function readJsonFile(file: string, what: string): Promise<unknown> {
  const text = await readTextFile(file, what);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new RecompError({
      code: "config_syntax",
      message: `${what} is not JSON: ${(error as Error).message}`,
      location: { file },
      hint: "regenerate it with the recomp command that writes it",
    });
  }
  return data;
}

/** `data` (read from `file`) checked against its schema: every problem located by key path. */
export function checkJson<S extends z.ZodType>(file: string, schema: S, data: unknown): LoadedFile<z.infer<S>> {
  const { errors, value } = schemaErrors(schema, data, file);
  if (errors.length > 0) throw new RecompErrorList(errors);
  return { file, dir: dirname(file), data: value as z.infer<S> };
}

export async function loadJsonFile<S extends z.ZodType>(file: string, schema: S, what: string): Promise<LoadedFile<z.infer<S>>> {
  return checkJson(file, schema, await readJsonFile(file, what));
}
