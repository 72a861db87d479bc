// cli: the list of commands. Each command lives in its own file and registers itself here.
import type { Command } from "commander";
import { registerEmitCommand } from "./emit-command.js";
import { registerLiftCommand } from "./lift-command.js";
import { registerProvenanceCommand } from "./provenance-command.js";
import { registerReplayCommand } from "./replay-command.js";
import { registerSchemaCommand } from "./schema-command.js";
import { registerToolsCommand } from "./tools-command.js";

export function registerCommands(program: Command): void {
  registerEmitCommand(program);
  registerLiftCommand(program);
  registerProvenanceCommand(program);
  registerReplayCommand(program);
  registerSchemaCommand(program);
  registerToolsCommand(program);
}
