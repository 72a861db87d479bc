/**
 * config: reading a TOML file against its zod schema. Every problem in a file is collected
 * (syntax errors with line and column; unknown keys with a "did you mean"; wrong types and
 * values with their key path and, where it can be found, the line) and thrown together.
 */
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { parse, TomlError } from "smol-toml";
import type { z } from "zod";
import { RecompError, RecompErrorList, type ErrorLocation } from "../util/errors.js";
import { closestMatch } from "../util/did-you-mean.js";
import { findKeyLine } from "./key-lines.js";

export interface LoadedFile<T> {
  /** The path as the user gave it (used in messages). */
  file: string;
  /** Folder that relative paths inside the file resolve against. */
  dir: string;
  data: T;
}

export type PathSegment = string | number;

export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/** Reads and parses a file; a missing or unreadable file is a located error. */
export async function readTextFile(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RecompError({
      code: "input_missing",
      message: code === "ENOENT" ? `${what} does not exist` : `${what} cannot be read (${code ?? String(error)})`,
      location: { file },
      hint: code === "ENOENT" ? "check the path; relative paths resolve against the folder of the file that names them" : undefined,
    });
  }
}

export function parseTomlText(text: string, file: string): unknown {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof TomlError) {
      const firstLine = error.message.split("\n")[0] ?? error.message;
      throw new RecompError({
        code: "config_syntax",
        message: `malformed TOML: ${firstLine.replace(/^Invalid TOML document: /, "")}`,
        location: { file, line: error.line, column: error.column },
        hint: "fix the syntax at that line and column",
      });
    }
    throw error;
  }
}

/** Validates parsed data against a schema; returns all issues as located RecompErrors. */
export function schemaErrors(
  schema: z.ZodType,
  data: unknown,
  file: string,
  sourceText?: string,
): { errors: RecompError[]; value: unknown } {
  const result = schema.safeParse(data);
  if (result.success) return { errors: [], value: result.data };
  const errors: RecompError[] = [];
  for (const issue of result.error.issues) {
    const locate = (path: readonly PropertyKey[]): ErrorLocation => {
      const keyPath = formatKeyPath(path);
      const line = sourceText === undefined ? undefined : findKeyLine(sourceText, path);
      return { file, keyPath: keyPath === "" ? undefined : keyPath, line };
    };
    if (issue.code === "unrecognized_keys") {
      const allowed = allowedKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        const suggestion = closestMatch(key, allowed);
        errors.push(
          new RecompError({
            code: "config_unknown_key",
            message: `unknown key "${key}"`,
            location: locate([...issue.path, key]),
            hint:
              suggestion !== undefined
                ? `did you mean "${suggestion}"?`
                : allowed.length > 0
                  ? `allowed keys here: ${allowed.join(", ")}`
                  : undefined,
          }),
        );
      }
      continue;
    }
    errors.push(
      new RecompError({
        code: "config_invalid",
        message: describeIssue(issue),
        location: locate(issue.path),
        hint: valueHint(issue, valueAt(data, issue.path)),
      }),
    );
  }
  return { errors, value: undefined };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_value" && issue.values.length > 0) {
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  if (issue.code === "invalid_type" && issue.message.includes("received undefined")) {
    return `is required (expected ${issue.expected})`;
  }
  return issue.message.replace(/^Invalid input: /, "");
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return node;
}

function valueHint(issue: z.core.$ZodIssue, value: unknown): string | undefined {
  if (issue.code !== "invalid_value" || typeof value !== "string") return undefined;
  const suggestion = closestMatch(value, issue.values.map(String));
  return suggestion === undefined ? undefined : `did you mean "${suggestion}"?`;
}

/** Key names an object schema accepts at `path` (for "did you mean" hints). */
export function allowedKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: unknown = schema;
  for (const segment of path) {
    node = unwrap(node);
    const def = defOf(node);
    if (def === undefined) return [];
    if (def.type === "object" && typeof segment === "string") node = (def.shape as Record<string, unknown>)[segment];
    else if (def.type === "array") node = def.element;
    else if (def.type === "record") node = def.valueType;
    else return [];
  }
  const def = defOf(unwrap(node));
  if (def?.type === "object") return Object.keys(def.shape as Record<string, unknown>).sort();
  return [];
}

interface ZodDefLike {
  type: string;
  [key: string]: unknown;
}

function defOf(node: unknown): ZodDefLike | undefined {
  const zod = (node as { _zod?: { def?: ZodDefLike } } | undefined)?._zod;
  return zod?.def;
}

function unwrap(node: unknown): unknown {
  let current = node;
  for (;;) {
    const def = defOf(current);
    if (def === undefined) return current;
    if (def.type === "optional" || def.type === "default" || def.type === "nullable" || def.type === "prefault") {
      current = def.innerType;
    } else if (def.type === "pipe") {
      current = def.in;
    } else {
      return current;
    }
  }
}

/** Reads, parses and validates a TOML file. Throws a RecompErrorList with every problem found. */
export async function loadTomlFile<S extends z.ZodType>(
  file: string,
  schema: S,
  what: string,
): Promise<LoadedFile<z.infer<S>>> {
  const text = await readTextFile(file, what);
  return parseTomlFile(text, file, schema);
}

export function parseTomlFile<S extends z.ZodType>(text: string, file: string, schema: S): LoadedFile<z.infer<S>> {
  const raw = parseTomlText(text, file);
  const { errors, value } = schemaErrors(schema, raw, file, text);
  if (errors.length > 0) throw new RecompErrorList(errors);
  return { file, dir: dirname(file), data: value as z.infer<S> };
}
