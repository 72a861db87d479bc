// config: the JSON Schemas we ship, generated from the zod schemas (one definition, no drift).
import { z } from "zod";
import { canonicalJsonPretty } from "../util/canonical-json.js";
import { schemaRegistry } from "./registry.js";

export function schemaNames(): string[] {
  return Object.keys(schemaRegistry).sort();
}

export function jsonSchemaFor(name: string): string | undefined {
  const entry = schemaRegistry[name];
  if (entry === undefined) return undefined;
  const schema = z.toJSONSchema(entry.schema, { io: "input", unrepresentable: "any", target: "draft-2020-12" });
  return canonicalJsonPretty({ ...schema, title: entry.title });
}
