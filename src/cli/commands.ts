// cli: the list of commands. Each command lives in its own file and registers itself here.
import type { Command } from "commander";
import { registerAuditCommand } from "./audit-command.js";
import { registerAutomateCommand } from "./automate-command.js";
import { registerEmitCommand } from "./emit-command.js";
import { registerHashAudioCommand } from "./hash-audio-command.js";
import { registerHashFramesCommand } from "./hash-frames-command.js";
import { registerInspectCommand } from "./inspect-command.js";
import { registerIntakeCommand } from "./intake-command.js";
import { registerIntakeXciCommand } from "./intake-xci-command.js";
import { registerLiftCommand } from "./lift-command.js";
import { registerManifestCommand } from "./manifest-command.js";
import { registerNormalizeCommand } from "./normalize-command.js";
import { registerProvenanceCommand } from "./provenance-command.js";
import { registerReplayCommand } from "./replay-command.js";
import { registerSchemaCommand } from "./schema-command.js";
import { registerToolsCommand } from "./tools-command.js";
import { registerValidateCommand } from "./validate-command.js";

export function registerCommands(program: Command): void {
  registerAuditCommand(program);
  registerAutomateCommand(program);
  registerEmitCommand(program);
  registerHashAudioCommand(program);
  registerHashFramesCommand(program);
  registerInspectCommand(program);
  registerIntakeCommand(program);
  registerIntakeXciCommand(program);
  registerLiftCommand(program);
  registerManifestCommand(program);
  registerNormalizeCommand(program);
  registerProvenanceCommand(program);
  registerReplayCommand(program);
  registerSchemaCommand(program);
  registerToolsCommand(program);
  registerValidateCommand(program);
}
