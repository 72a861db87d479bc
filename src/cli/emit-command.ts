// cli: `recomp emit`: module.json to a C project (guest.c, runtime, segment images, Makefile) for the system cc.
import type { Command } from "commander";
import { loadTomlFile, readTextFile } from "../config/toml.js";
import { parseExecutionProfile } from "../formats/execution-profile.js";
import { personalities, titleSchema, type Personality } from "../config/title.js";
import { emitProject } from "../emit/index.js";
import { formatError, RecompError } from "../util/errors.js";
import { emitResultSchema } from "../config/cli-results.js";
import { jsonProblem } from "./error-output.js";
import { jsonOption, printResult } from "./json-output.js";

interface EmitFlags {
  module: string;
  title?: string;
  out: string;
  personality?: string;
  host?: string;
  profile?: string;
  json?: boolean;
}

function isPersonality(name: string): name is Personality {
  return (personalities as readonly string[]).includes(name);
}

export function registerEmitCommand(program: Command): void {
  jsonOption(program.command("emit"))
    .description("translate module.json into a C99 project with the runtime and a Makefile (build it with make)")
    .requiredOption("--module <file>", "module.json written by recomp lift")
    .option("--title <file>", "title.toml: its [[runtime.memory_layout.regions]] become the region map")
    .requiredOption("--out <dir>", "output folder")
    .option(
      "--personality <name>",
      "svc ABI: demo (docs/svc-abi.md), horizon (docs/runtime-horizon.md) or linux (differential tests); default: title.toml runtime.personality, else demo",
    )
    .option("--host <host>", "recompiled (default: the lifted code for the system cc) or emulated (the original code under qemu-aarch64: docs/reference-emulated.md)")
    .option(
      "--profile <file>",
      "execution profile of a profiling build's run (docs/runtime-core.md, \"Optimisation tiers\"): code it never saw run compiles at -O0",
    )
    .action(async (flags: EmitFlags) => {
      const personality = flags.personality;
      const host = flags.host ?? "recompiled";
      if (host !== "recompiled" && host !== "emulated") {
        throw new RecompError({ code: "usage", message: `unknown --host "${host}"`, hint: "use recompiled or emulated" });
      }
      if (personality !== undefined && !isPersonality(personality)) {
        throw new RecompError({ code: "usage", message: `unknown --personality "${personality}"`, hint: `use one of ${personalities.join(", ")}` });
      }
      const title = flags.title === undefined ? undefined : (await loadTomlFile(flags.title, titleSchema, "title.toml")).data;
      const profile = flags.profile === undefined ? undefined : parseExecutionProfile(await readTextFile(flags.profile, "execution profile"), flags.profile);
      const result = await emitProject({
        moduleJsonPath: flags.module,
        outDir: flags.out,
        title,
        titleFile: flags.title,
        personality,
        host,
        profile,
      });
      // With --json the warnings are in the result object: stderr stays quiet for a tool that reads stdout.
      if (flags.json !== true) for (const warning of result.warnings) process.stderr.write(`warning: ${formatError(warning)}\n`);
      const summary = {
        out: flags.out,
        files: result.files,
        executable: result.executable,
        build_command: ["make", "-C", flags.out],
        warnings: result.warnings.map(jsonProblem),
      };
      printResult(flags.json, emitResultSchema, summary, `wrote ${result.files.length + 1} files to ${flags.out}; build with: make -C ${flags.out} (makes ${result.executable})\n`);
    });
}
