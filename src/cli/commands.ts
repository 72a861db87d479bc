// cli: the list of commands. Each command lives in its own file and registers itself here.
import type { Command } from "commander";
import { registerIntakeXciCommand } from "./intake-xci-command.js";
import { registerProvenanceCommand } from "./provenance-command.js";
import { registerSchemaCommand } from "./schema-command.js";

export function registerCommands(program: Command): void {
  registerIntakeXciCommand(program);
  registerProvenanceCommand(program);
  registerSchemaCommand(program);
}
