// cli: `recomp schema NAME` prints the JSON Schema of a config or output file, for editors;
// `recomp schema --out DIR` writes every one as DIR/NAME.schema.json (shipped in dist/schemas).
import { join } from "node:path";
import type { Command } from "commander";
import { RecompError } from "../util/errors.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { jsonSchemaFor, schemaNames } from "../config/json-schema.js";
import { schemaResultSchema } from "../config/cli-results.js";
import { jsonOption, printResult } from "./json-output.js";

function schemaText(name: string): string {
  const schema = jsonSchemaFor(name);
  if (schema === undefined) {
    throw new RecompError({
      code: "usage",
      message: `no schema named "${name}"`,
      hint: `choose one of: ${schemaNames().join(", ")}`,
    });
  }
  return schema;
}

export function registerSchemaCommand(program: Command): void {
  jsonOption(program.command("schema"))
    .description(`print the JSON Schema of a file format (${schemaNames().join(", ")}), or write them all with --out`)
    .argument("[name]", "which schema (required without --out)")
    .option("--out <dir>", "write NAME.schema.json for every schema (or the one named) into this folder")
    .action(async (name: string | undefined, flags: { out?: string; json?: boolean }) => {
      if (flags.out === undefined) {
        if (name === undefined) throw new RecompError({ code: "usage", message: "name a schema or give --out DIR", hint: `choose one of: ${schemaNames().join(", ")}` });
        const text = schemaText(name);
        printResult(flags.json, schemaResultSchema, { name, schema: JSON.parse(text) as Record<string, unknown> }, text);
        return;
      }
      const written: string[] = [];
      for (const each of name === undefined ? schemaNames() : [name]) {
        written.push(join(flags.out, `${each}.schema.json`));
        await writeFileAtomic(written[written.length - 1] ?? "", schemaText(each));
      }
      printResult(flags.json, schemaResultSchema, { written }, "");
    });
}
