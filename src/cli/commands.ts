// cli: the list of commands. Each command lives in its own file and registers itself here.
import type { Command } from "commander";
import { registerHashAudioCommand } from "./hash-audio-command.js";
import { registerHashFramesCommand } from "./hash-frames-command.js";
import { registerNormalizeCommand } from "./normalize-command.js";
import { registerSchemaCommand } from "./schema-command.js";
import { registerValidateCommand } from "./validate-command.js";

export function registerCommands(program: Command): void {
  registerSchemaCommand(program);
  registerValidateCommand(program);
  registerHashFramesCommand(program);
  registerHashAudioCommand(program);
  registerNormalizeCommand(program);
}
