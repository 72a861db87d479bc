// cli: the list of commands. Each command lives in its own file and registers itself here.
import type { Command } from "commander";
import { registerReplayCommand } from "./replay-command.js";
import { registerSchemaCommand } from "./schema-command.js";
import { registerToolsCommand } from "./tools-command.js";

export function registerCommands(program: Command): void {
  registerReplayCommand(program);
  registerSchemaCommand(program);
  registerToolsCommand(program);
}
