// cli: the list of commands. Each command lives in its own file and registers itself here. A run
// loads only the module of the command it names (every module only for help or an unknown name):
// start-up stays short, and a no-op `automate` spends its time on checks, not on imports.
import type { Command } from "commander";

type Register = (program: Command) => void;

const commandModules: Record<string, () => Promise<Register[]>> = {
  audit: async () => [(await import("./audit-command.js")).registerAuditCommand],
  automate: async () => [(await import("./automate-command.js")).registerAutomateCommand],
  emit: async () => [(await import("./emit-command.js")).registerEmitCommand],
  "hash-audio": async () => [(await import("./hash-audio-command.js")).registerHashAudioCommand],
  "hash-frames": async () => [(await import("./hash-frames-command.js")).registerHashFramesCommand],
  init: async () => [(await import("./init-command.js")).registerInitCommand],
  inspect: async () => [(await import("./inspect-command.js")).registerInspectCommand],
  intake: async () => [
    (await import("./intake-command.js")).registerIntakeCommand,
    (await import("./intake-xci-command.js")).registerIntakeXciCommand,
  ],
  lift: async () => [(await import("./lift-command.js")).registerLiftCommand],
  manifest: async () => [(await import("./manifest-command.js")).registerManifestCommand],
  normalize: async () => [(await import("./normalize-command.js")).registerNormalizeCommand],
  provenance: async () => [(await import("./provenance-command.js")).registerProvenanceCommand],
  reference: async () => [(await import("./reference-command.js")).registerReferenceCommand],
  replay: async () => [(await import("./replay-command.js")).registerReplayCommand],
  schema: async () => [(await import("./schema-command.js")).registerSchemaCommand],
  tools: async () => [(await import("./tools-command.js")).registerToolsCommand],
  validate: async () => [(await import("./validate-command.js")).registerValidateCommand],
};

/** Registers the command `argv` names, or every command when it names none we know. */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const name = argv.slice(2).find((arg) => !arg.startsWith("-"));
  const load = name === undefined ? undefined : commandModules[name];
  const loaders = load === undefined ? Object.keys(commandModules).sort().map((key) => commandModules[key]) : [load];
  for (const loader of loaders) {
    if (loader === undefined) continue;
    for (const register of await loader()) register(program);
  }
}
