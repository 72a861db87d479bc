// Every key of every TOML file recomp reads has a description in its JSON Schema (what editors show
// on hover: meaning, unit, default), generated from the same zod definitions the loader uses.
import { describe, expect, it } from "vitest";
import { jsonSchemaFor } from "../../src/config/json-schema.js";
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

describe("JSON Schemas of the TOML files", () => {
  it("cover every TOML file init writes a #:schema line for", () => {
    expect(tomlSchemas.sort()).toEqual(["automation", "capture-video", "input-script", "provenance", "reference-video", "title", "validation-config"]);
  });

  it.each(tomlSchemas)("%s: every property has a description", (name) => {
    expect(undescribed(JSON.parse(jsonSchemaFor(name) ?? "{}"), name)).toEqual([]);
  });

  it("state the validator's real defaults for every threshold", () => {
    const schema = jsonSchemaFor("validation-config") ?? "";
    for (const [key, value] of Object.entries(defaultThresholds)) {
      expect(propertyDescription(schema, "thresholds", key), key).toContain(`(default ${value})`);
    }
  });
});
