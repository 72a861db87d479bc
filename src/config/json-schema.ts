// config: the JSON Schemas we ship, generated from the zod schemas (one definition, no drift).
import { z } from "zod";
import { canonicalJsonPretty } from "../util/canonical-json.js";
import { arrayFormObjects } from "./module-json.js";
import { schemaRegistry } from "./registry.js";

const options = { io: "input", unrepresentable: "any", target: "draft-2020-12" } as const;

interface ObjectJsonSchema {
  properties?: Record<string, unknown>;
  required?: string[];
}

/** An op's array form (module.json) from its object's JSON Schema: the members in order, optional ones last. */
function arrayJsonSchema(object: ObjectJsonSchema): Record<string, unknown> {
  const properties = Object.values(object.properties ?? {});
  return { type: "array", prefixItems: properties, items: false, minItems: object.required?.length ?? 0, maxItems: properties.length };
}

/** Replaces the JSON Schema of each array form (`arrayFormObjects`) with the arrays it reads. */
function overrideArrayForms(ctx: { zodSchema: unknown; jsonSchema: Record<string, unknown> }): void {
  const objects = arrayFormObjects.get(ctx.zodSchema as z.ZodType);
  if (objects === undefined) return;
  const union = z.toJSONSchema(objects, options) as { oneOf?: ObjectJsonSchema[]; anyOf?: ObjectJsonSchema[] };
  const description = (ctx.zodSchema as z.ZodType).description;
  for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
  Object.assign(ctx.jsonSchema, { description, anyOf: (union.oneOf ?? union.anyOf ?? []).map(arrayJsonSchema) });
}

export function schemaNames(): string[] {
  return Object.keys(schemaRegistry).sort();
}

export function jsonSchemaFor(name: string): string | undefined {
  const entry = schemaRegistry[name];
  if (entry === undefined) return undefined;
  const schema = z.toJSONSchema(entry.schema, { ...options, override: overrideArrayForms });
  return canonicalJsonPretty({ ...schema, title: entry.title });
}
