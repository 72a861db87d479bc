// cli: the list of commands. Each command lives in its own file and registers itself here.
import type { Command } from "commander";
import { registerAuditCommand } from "./audit-command.js";
import { registerAutomateCommand } from "./automate-command.js";
import { registerManifestCommand } from "./manifest-command.js";
import { registerInspectCommand } from "./inspect-command.js";
import { registerIntakeCommand } from "./intake-command.js";
import { registerProvenanceCommand } from "./provenance-command.js";
import { registerSchemaCommand } from "./schema-command.js";

export function registerCommands(program: Command): void {
  registerAuditCommand(program);
  registerAutomateCommand(program);
  registerManifestCommand(program);
  registerInspectCommand(program);
  registerIntakeCommand(program);
  registerProvenanceCommand(program);
  registerSchemaCommand(program);
}
