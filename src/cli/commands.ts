// cli: the list of commands. Each command lives in its own file and registers itself here.
import type { Command } from "commander";
import { registerSchemaCommand } from "./schema-command.js";

export function registerCommands(program: Command): void {
  registerSchemaCommand(program);
}
