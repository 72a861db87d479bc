// cli: `recomp reference emulate` (a reference by running the original code under qemu-aarch64),
// `recomp reference compare` (where a run and a reference first part: frame, audio window, service call)
// and `recomp reference adopt` (a title's first capture made its reference).
import { statSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { adoptCaptureAsReference } from "../engine/adopt-reference.js";
import { displayPath } from "../engine/paths.js";
import { titleSchema } from "../config/title.js";
import { loadTomlFile } from "../config/toml.js";
import type { z } from "zod";
import { compareRuns, formatComparison, makeEmulatedReference, runFilesIn, type FirstDifference, type RunComparison } from "../reference/index.js";
import { RecompError } from "../util/errors.js";
import { referenceAdoptResultSchema, referenceCompareResultSchema, referenceEmulateResultSchema } from "../config/cli-results.js";
import { jsonOption, printResult } from "./json-output.js";

interface EmulateFlags {
  module: string;
  title: string;
  inputScript: string;
  out: string;
  fps?: string;
  selfNro?: string;
  referenceToml?: string;
  json?: boolean;
}

interface CompareFlags {
  reference: string;
  run: string;
  json?: boolean;
}

function parseFps(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const fps = Number(text);
  if (!Number.isInteger(fps) || fps < 1 || fps > 240) throw new RecompError({ code: "usage", message: `--fps ${text} is not a whole number from 1 to 240` });
  return fps;
}


/** A comparison with every absent value null, so that each key is always there. */
function comparedForJson(comparison: RunComparison): Omit<z.input<typeof referenceCompareResultSchema>, "same"> {
  const part = <T>(c: { reference: number; run: number; first?: FirstDifference<T> }) => ({
    reference: c.reference,
    run: c.run,
    first: c.first === undefined ? null : { index: c.first.index, reference: c.first.reference ?? null, run: c.first.run ?? null },
  });
  return { frames: part(comparison.frames), audio: part(comparison.audio), log: part(comparison.log), calls: part(comparison.calls) };
}

export function registerReferenceCommand(program: Command): void {
  const reference = program.command("reference").description("a title's reference: adopted from a first capture, made without a console, and where a run parts from one");
  jsonOption(reference.command("emulate"))
    .description("run the module's original code under qemu-aarch64 over recomp's runtime and hash its capture (docs/reference-emulated.md)")
    .requiredOption("--module <file>", "module.json written by recomp lift (its segments and entry; the lifted code is not used)")
    .requiredOption("--title <file>", "title.toml (regions and personality, as for recomp emit)")
    .requiredOption("--input-script <file>", "input_script.toml replayed into the run")
    .requiredOption("--out <dir>", "output folder (new, or one this command made): build/, run/, reference/*.sha256")
    .option("--fps <n>", "the runtime's frame rate (--fps of the recompiled run)")
    .option("--self-nro <file>", "the title's NRO, served at its Argv path (RECOMP_SELF_NRO)")
    .option("--reference-toml <file>", "also write reference_video.toml naming the hash lists (exact thresholds)")
    .action(async (flags: EmulateFlags) => {
      const title = (await loadTomlFile(flags.title, titleSchema, "title.toml")).data;
      const result = await makeEmulatedReference({
        moduleJsonPath: flags.module,
        title,
        titleFile: flags.title,
        inputScript: flags.inputScript,
        outDir: flags.out,
        fps: parseFps(flags.fps),
        selfNro: flags.selfNro,
        referenceToml: flags.referenceToml,
      });
      const summary = {
        out: flags.out,
        frames: result.frames,
        audio_windows: result.audioWindows,
        frame_hashes: result.frameList,
        audio_hashes: result.audioList ?? null,
        replay_log: result.replayLog,
        reference_video_toml: flags.referenceToml ?? null,
      };
      const audio = result.audioList === undefined ? " (no audio)" : `, ${result.audioList}`;
      printResult(flags.json, referenceEmulateResultSchema, summary, `emulated reference: ${result.frames} frames, ${result.audioWindows} audio windows -> ${result.frameList}${audio}\n`);
    });
  jsonOption(reference.command("compare"))
    .description("where a run parts from a reference: first differing frame, audio window and replay-log line (exit 1 when they differ)")
    .requiredOption("--reference <dir>", "the reference run's capture folder (frames/, audio.wav, replay-log.jsonl): <out>/run of recomp reference emulate")
    .requiredOption("--run <dir>", "the recompiled run's capture folder (its --capture-dir)")
    .action(async (flags: CompareFlags) => {
      const comparison = await compareRuns(runFilesIn(flags.reference), runFilesIn(flags.run));
      const same = comparison.frames.first === undefined && comparison.audio.first === undefined && comparison.log.first === undefined;
      const text = formatComparison(comparison).map((line) => `${line}\n`).join("");
      printResult(flags.json, referenceCompareResultSchema, { same, ...comparedForJson(comparison) }, text);
      if (!same) process.exitCode = 1;
    });
  jsonOption(reference.command("adopt"))
    .description("write reference_video.toml from the last capture (its hash lists copied beside it); only when there is no reference yet")
    .option("--config <file>", "automation.toml, or a folder holding one", "automation.toml")
    .option("--lists <folder>", "folder (beside reference_video.toml) that receives the hash lists", "reference")
    .action(async (flags: { config: string; lists: string; json?: boolean }) => {
      const config = statSync(flags.config, { throwIfNoEntry: false })?.isDirectory() === true ? join(flags.config, "automation.toml") : flags.config;
      const adopted = await adoptCaptureAsReference(config, flags.lists);
      const cwd = process.cwd();
      const [toml, copied] = [displayPath(cwd, adopted.referenceVideoToml), adopted.copied.map((f) => displayPath(cwd, f))];
      printResult(flags.json, referenceAdoptResultSchema, { reference_video_toml: toml, copied }, `wrote ${toml} and ${copied.join(", ")}\n`);
    });
}
