// cli: `recomp replay check FILE` and `recomp replay convert FILE --out F`: input scripts for the runtime.
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { defaultReplayFps, formatReplayFile, formatReplaySummary, loadInputScript, summarizeReplay } from "../replay/index.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { canonicalJsonPretty } from "../util/canonical-json.js";

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
      process.stdout.write(options.json === true ? canonicalJsonPretty(summary) : formatReplaySummary(summary));
    });
  replay
    .command("convert")
    .description("write the replay file the runtime services read (docs/runtime-services.md)")
    .argument("<file>", "input_script.toml")
    .requiredOption("--out <file>", "replay file to write")
    .option("--fps <n>", "frame rate that time_ms entries resolve against", parseFps, defaultReplayFps)
    .action(async (file: string, options: { fps: number; out: string }) => {
      const { schedule } = await loadInputScript(file, options.fps);
      await writeFileAtomic(options.out, formatReplayFile(schedule));
    });
}
