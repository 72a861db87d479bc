// cli: `recomp schema NAME` prints the JSON Schema of a config or output file, for editors.
import type { Command } from "commander";
import { RecompError } from "../util/errors.js";
import { jsonSchemaFor, schemaNames } from "../config/json-schema.js";

export function registerSchemaCommand(program: Command): void {
  program
    .command("schema")
    .description(`print the JSON Schema of a file format (${schemaNames().join(", ")})`)
    .argument("<name>", "which schema")
    .action((name: string) => {
      const schema = jsonSchemaFor(name);
      if (schema === undefined) {
        throw new RecompError({
          code: "usage",
          message: `no schema named "${name}"`,
          hint: `choose one of: ${schemaNames().join(", ")}`,
        });
      }
      process.stdout.write(schema);
    });
}
