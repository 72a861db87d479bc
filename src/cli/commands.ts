// cli: the list of commands. Each command lives in its own file and registers itself here.
import type { Command } from "commander";
import { registerInspectCommand } from "./inspect-command.js";
import { registerIntakeCommand } from "./intake-command.js";
import { registerIntakeXciCommand } from "./intake-xci-command.js";
import { registerProvenanceCommand } from "./provenance-command.js";
import { registerSchemaCommand } from "./schema-command.js";

export function registerCommands(program: Command): void {
  registerInspectCommand(program);
  // `intake homebrew` creates the `intake` group; `intake xci` joins it.
  registerIntakeCommand(program);
  registerIntakeXciCommand(program);
  registerProvenanceCommand(program);
  registerSchemaCommand(program);
}
