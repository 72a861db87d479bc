// cli: `recomp replay check|convert|run`: input scripts checked, converted for the runtime, replayed into a program.
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { defaultReplayFps, formatReplayFile, formatReplaySummary, loadInputScript, runWithReplay, summarizeReplay } from "../replay/index.js";
import { RecompError } from "../util/errors.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { canonicalJsonPretty } from "../util/canonical-json.js";
import { replayCheckResultSchema, replayConvertResultSchema, replayRunResultSchema } from "../config/cli-results.js";
import { jsonOption, printResult } from "./json-output.js";

function parseFps(value: string): number {
  const fps = Number(value);
  if (!Number.isInteger(fps) || fps <= 0 || 19_200_000 % fps !== 0) {
    throw new InvalidArgumentError("must be a whole frame rate that divides 19200000, such as 30 or 60");
  }
  return fps;
}

export function registerReplayCommand(program: Command): void {
  const replay = program.command("replay").description("check input scripts and convert them for the runtime");
  replay
    .command("check")
    .description("validate an input_script.toml and print a summary (exit 2 with located errors)")
    .argument("<file>", "input_script.toml")
    .option("--fps <n>", "frame rate that time_ms entries resolve against", parseFps, defaultReplayFps)
    .option("--json", "print the summary as JSON")
    .action(async (file: string, options: { fps: number; json?: boolean }) => {
      const { script, schedule } = await loadInputScript(file, options.fps);
      const summary = summarizeReplay(script, schedule);
      printResult(options.json, replayCheckResultSchema, summary, formatReplaySummary(summary), canonicalJsonPretty);
    });
  jsonOption(replay.command("convert"))
    .description("write the replay file the runtime services read (docs/runtime-services.md)")
    .argument("<file>", "input_script.toml")
    .requiredOption("--out <file>", "replay file to write")
    .option("--fps <n>", "frame rate that time_ms entries resolve against", parseFps, defaultReplayFps)
    .action(async (file: string, options: { fps: number; out: string; json?: boolean }) => {
      const { schedule } = await loadInputScript(file, options.fps);
      await writeFileAtomic(options.out, formatReplayFile(schedule));
      const events = schedule.entries.filter((entry) => entry.kind === "event").length;
      const summary = { written: options.out, fps: schedule.fps, events, markers: schedule.entries.length - events };
      printResult(options.json, replayConvertResultSchema, summary, "");
    });
  registerReplayRunCommand(replay);
}

/** `recomp replay run [--script F] -- PROGRAM ARGS...`: the script defaults to $RECOMP_INPUT_SCRIPT_TOML (set by the loop). */
function registerReplayRunCommand(replay: Command): void {
  jsonOption(replay.command("run"))
    .description(
      "run a program built with the runtime services on an input script: PROGRAM ARGS... --replay <converted script>; exits with its code. " +
        "With --json (before --) the program's stdout goes to stderr and stdout holds only the result object, printed when it ends",
    )
    .option("--script <file>", "input_script.toml (default: $RECOMP_INPUT_SCRIPT_TOML)")
    .option("--fps <n>", "frame rate that time_ms entries resolve against", parseFps, defaultReplayFps)
    .argument("<command...>", "the program and its arguments, after --")
    .action(async (command: string[], options: { script?: string; fps: number; json?: boolean }) => {
      const script = options.script ?? process.env.RECOMP_INPUT_SCRIPT_TOML;
      if (script === undefined || script === "") {
        throw new RecompError({ code: "usage", message: "no input script", hint: "give --script FILE or set RECOMP_INPUT_SCRIPT_TOML" });
      }
      const outcome = await runWithReplay(script, options.fps, command, options.json === true);
      const summary = { command, exit_code: outcome.exitCode, script, fps: options.fps, events: outcome.events };
      printResult(options.json, replayRunResultSchema, summary, "");
      process.exitCode = outcome.exitCode;
    });
}
