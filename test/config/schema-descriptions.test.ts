// Every key of every file recomp reads or writes, and of every --json result, has a description in its
// JSON Schema (what editors show on hover: meaning, unit, default), generated from the same zod
// definitions the loader, the writer or the command uses.
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/main.js";
import { resultSchemas } from "../../src/config/cli-results.js";
import { jsonSchemaFor, schemaNames } from "../../src/config/json-schema.js";
import { schemaRegistry } from "../../src/config/registry.js";
import { defaultThresholds } from "../../src/validate/index.js";

const tomlSchemas = Object.entries(schemaRegistry)
  .filter(([, entry]) => entry.title.endsWith(".toml"))
  .map(([name]) => name);

/** Dotted paths of every property (at any depth, in unions and arrays too) that has no description. */
function undescribed(node: unknown, path: string): string[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => undescribed(item, `${path}[${i}]`));
  if (typeof node !== "object" || node === null) return [];
  const object = node as Record<string, unknown>;
  const properties = (object.properties ?? {}) as Record<string, { description?: unknown }>;
  const missing = Object.entries(properties)
    .filter(([, schema]) => typeof schema.description !== "string" || schema.description === "")
    .map(([key]) => `${path}.${key}`);
  return [...missing, ...Object.entries(object).flatMap(([key, value]) => undescribed(value, `${path}/${key}`))];
}

function propertyDescription(schema: string, ...keys: string[]): string {
  let node = JSON.parse(schema) as { properties?: Record<string, unknown>; description?: string };
  for (const key of keys) node = node.properties?.[key] as typeof node;
  return node.description ?? "";
}

/** Every leaf command of `recomp --help`, recursively, with whether it has --json. */
function leafCommands(command: Command, prefix: string[]): [string, boolean][] {
  if (command.commands.length === 0) return [[prefix.join(" "), command.options.some((option) => option.long === "--json")]];
  return command.commands.flatMap((sub) => leafCommands(sub, [...prefix, sub.name()]));
}

describe("JSON Schemas of every input, output and --json result", () => {
  it.each(schemaNames())("%s: every property has a description", (name) => {
    expect(undescribed(JSON.parse(jsonSchemaFor(name) ?? "{}"), name)).toEqual([]);
  });

  it("every command has --json, and its result a schema that recomp schema prints", async () => {
    const leaves = leafCommands(await buildProgram(["node", "recomp"]), []);
    expect(leaves.filter(([, json]) => !json).map(([name]) => name)).toEqual([]);
    expect(leaves.map(([name]) => name).sort()).toEqual(Object.keys(resultSchemas).sort());
    for (const [name] of leaves) expect(schemaNames(), name).toContain(`result-${name.replace(" ", "-")}`);
  });
});

describe("JSON Schemas of the TOML files", () => {
  it("cover every TOML file init writes a #:schema line for", () => {
    expect(tomlSchemas.sort()).toEqual(["automation", "capture-video", "input-script", "provenance", "reference-video", "title", "validation-config"]);
  });

  it("state the validator's real defaults for every threshold", () => {
    const schema = jsonSchemaFor("validation-config") ?? "";
    for (const [key, value] of Object.entries(defaultThresholds)) {
      expect(propertyDescription(schema, "thresholds", key), key).toContain(`(default ${value})`);
    }
  });
});
