// cli: the list of commands. Each command lives in its own file and registers itself here.
import type { Command } from "commander";
import { registerInspectCommand } from "./inspect-command.js";
import { registerIntakeCommand } from "./intake-command.js";
import { registerProvenanceCommand } from "./provenance-command.js";
import { registerReplayCommand } from "./replay-command.js";
import { registerSchemaCommand } from "./schema-command.js";
import { registerToolsCommand } from "./tools-command.js";

export function registerCommands(program: Command): void {
  registerInspectCommand(program);
  registerIntakeCommand(program);
  registerProvenanceCommand(program);
  registerReplayCommand(program);
  registerSchemaCommand(program);
  registerToolsCommand(program);
}
