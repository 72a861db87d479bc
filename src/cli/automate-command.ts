// cli: `recomp automate --config automation.toml`: the whole loop for one title.
import { statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { RunManifest } from "../config/run-manifest.js";
import { join, resolve } from "node:path";
import { Option, type Command } from "commander";
import { stageNames, type StageName } from "../config/automation.js";
import { LiveReporter, PlainReporter } from "../engine/reporter.js";
import { runAutomation, type AutomateResult } from "../engine/runner.js";
import { defaultStages } from "../engine/stages/index.js";
import { displayPath } from "../engine/paths.js";
import { liveOutputAllowed } from "../engine/fit-width.js";
import { ExitCode } from "../util/errors.js";
import { ioCause } from "../engine/io-errors.js";
import { NoOpRecording } from "./automate-record.js";

interface AutomateFlags {
  config: string;
  force?: boolean;
  from?: StageName;
  resume: boolean;
  verbose?: boolean;
  json?: boolean;
  approve?: boolean;
}

export function registerAutomateCommand(program: Command): void {
  program
    .command("automate")
    .description(
      "run intake, analysis, lift, pipeline, build, run, capture, extract, hash, validate and archive for one title; " +
        "stages whose inputs and outputs are unchanged are reused. Commands run in the config file's folder.\n" +
        "Exit codes: 0 passed, 1 validation failed, 2 config or input error, 3 a stage failed, 130 interrupted.",
    )
    .option("--config <file>", "automation.toml, or a folder holding one", "automation.toml")
    .option("--force", "re-run every stage, reusing nothing")
    .addOption(new Option("--from <stage>", "re-run from this stage on (earlier stages are reused when valid)").choices([...stageNames]))
    .option("--no-resume", "ignore earlier records: run every stage")
    .option("--verbose", "show each command's output live")
    .option("--json", "print one summary object on stdout")
    .option("--approve", "approve a run whose policy requires approval")
    .action(async (flags: AutomateFlags) => {
      // A write past the file-size limit (ulimit -f) fails with EFBIG and is reported like a full disk. With a
      // listener of recomp's own, execa's exit hook does not re-raise SIGXFSZ, which would kill the run mid-write.
      process.on("SIGXFSZ", () => undefined);
      const live = liveOutputAllowed(process.stderr);
      const closed = stopOnClosedOutput();
      // What this run consults and prints is recorded, so that an identical no-op re-run can be replayed (engine/memo).
      const recording = NoOpRecording.start(process.argv, live);
      let result: AutomateResult | undefined;
      try {
        result = await runAutomation({
          configFile: configFileOf(flags.config),
          stages: defaultStages,
          reporter: live ? new LiveReporter() : new PlainReporter(),
          force: flags.force,
          from: flags.from,
          noResume: !flags.resume,
          verbose: flags.verbose,
          approve: flags.approve,
          stop: closed.signal,
        });
        if (flags.json === true) process.stdout.write(await jsonSummary(result));
        else process.stderr.write(await textSummary(result));
        process.exitCode = closed.signal.aborted ? ExitCode.stageFailed : result.exitCode;
      } finally {
        const ran = result;
        const summary = flags.json === true && ran !== undefined ? (manifest: RunManifest) => jsonSummary({ ...ran, manifest }) : undefined;
        await recording?.finish(closed.signal.aborted ? undefined : ran, ran?.exitCode ?? ExitCode.stageFailed, summary);
      }
    });
}

/** A path of the run (absolute, or relative to the config folder) as seen from the current folder. */
function fromCwd(result: AutomateResult, path: string): string {
  return displayPath(process.cwd(), resolve(result.configDir, path));
}

/** The --json summary, checked against its schema (loaded only here: a run without --json never pays for it). */
async function jsonSummary(result: AutomateResult): Promise<string> {
  const { manifest } = result;
  const report = manifest.validation_report;
  const summary = {
    exit_code: result.exitCode,
    result: manifest.result.status,
    run_id: manifest.run_id,
    manifest: fromCwd(result, result.manifestPath),
    assets: assetsShown(result),
    validation_report: report === null ? null : { ...report, path: fromCwd(result, report.path) },
    capture_hash_lists: result.noReference?.hashLists.map((path) => fromCwd(result, path)) ?? null,
    steps: manifest.steps.map((s) => ({ name: s.name, status: s.status, cache_hit: s.cache_hit, duration_ms: s.duration_ms, notes: s.notes })),
  };
  (await import("../config/automate-result.js")).automateResultSchema.parse(summary);
  return `${JSON.stringify(summary, null, 2)}\n`;
}

/** The assets folder: relative when below the current folder, else absolute (it is usually the cache folder). */
function assetsShown(result: AutomateResult): string {
  const shown = fromCwd(result, result.assetsDir);
  return shown.startsWith("../") ? resolve(result.configDir, result.assetsDir) : shown;
}

/** The last lines of a run: the verdict, what ran, and where every file a person opens next is, relative to here. */
async function textSummary(result: AutomateResult): Promise<string> {
  const { manifest } = result;
  const failures: string[] = [];
  for (const step of manifest.steps.filter((s) => s.status === "failed")) failures.push(...(await failureLines(result, step)));
  const reused = manifest.steps.filter((s) => s.cache_hit).length;
  const ran = manifest.steps.filter((s) => !s.cache_hit && s.status !== "skipped").length;
  const verdict = manifest.result.status === "no_reference" ? "no reference" : manifest.result.status.replace("_", " ");
  const lines = [...failures, `${verdict}: ${ran} stages ran, ${reused} reused; manifest ${fromCwd(result, result.manifestPath)}`];
  if (manifest.steps.some((s) => s.name === "intake" && s.status !== "skipped")) lines.push(`assets (extracted, kept out of git): ${assetsShown(result)}`);
  // Against a reference made by emulation: where the two runs part (frame, audio window, log line, service call).
  const firstDifferences = manifest.steps.find((s) => s.name === "validate")?.notes.filter((note) => /^(frames|audio|replay log|service calls): first/.test(note)) ?? [];
  if (manifest.result.status === "validation_failed") lines.push(...firstDifferences);
  const report = manifest.validation_report;
  if (report !== null) {
    const json = fromCwd(result, report.path);
    lines.push(`report ${json.replace(/\.json$/, ".html")} (also .txt, .json)`);
  }
  const none = result.noReference;
  if (none !== undefined) {
    lines.push(
      `the capture's hash lists (with .features beside each): ${none.hashLists.map((path) => fromCwd(result, path)).join(", ")}`,
      `to make this capture the reference (once its frames show what the title should): \`recomp reference adopt\` writes ${fromCwd(result, none.referenceVideoToml)}`,
      "and copies the lists beside it; the next run validates against it. To record a reference from the original hardware instead, see docs/validation.md.",
    );
  }
  return `${lines.join("\n")}\n`;
}

const stderrTailLines = 8;

/** A failed stage without --verbose: why, and the last lines it wrote on stderr (the full log's path too). */
async function failureLines(result: AutomateResult, step: RunManifest["steps"][number]): Promise<string[]> {
  const reasons = step.notes.filter((note) => !note.startsWith("ran: "));
  const lines = [`${step.name} failed: ${reasons.join("; ") || "no reason recorded"}`];
  if (step.stderr_path === null) return lines;
  const log = resolve(result.configDir, step.stderr_path);
  const text = await readFile(log, "utf8").catch(() => "");
  const tail = await explainFaults(text.split("\n").filter((line) => line.trim() !== "").slice(-stderrTailLines), result);
  if (tail.length > 0) lines.push(`last lines of ${fromCwd(result, log)}:`, ...tail.map((line) => `  ${line}`));
  return lines;
}

/** Runtime fault lines with their guest pc named (instruction, function, file offset); the lifter loads only for them. */
async function explainFaults(lines: string[], result: AutomateResult): Promise<string[]> {
  if (!lines.some((line) => line.startsWith("fault: "))) return lines;
  const { explainFaultLines } = await import("../lift/fault-site.js");
  return explainFaultLines(lines, result.guestCode);
}

/** `--config .` or `--config title/` names the automation.toml inside that folder. */
function configFileOf(given: string): string {
  return statSync(given, { throwIfNoEntry: false })?.isDirectory() === true ? join(given, "automation.toml") : given;
}

/**
 * A closed stdout or stderr (the output piped into `head`) ends the run like a failed stage: the
 * current command is stopped, the state and manifest are written, the lock released, exit 3.
 */
function stopOnClosedOutput(): AbortController {
  const controller = new AbortController();
  for (const [name, stream] of [
    ["stdout", process.stdout],
    ["stderr", process.stderr],
  ] as const) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      // Also when the run is over (the --json summary could not be written to a full disk): never exit 0.
      process.exitCode = ExitCode.stageFailed;
      if (controller.signal.aborted) return;
      controller.abort();
      const other = name === "stdout" ? process.stderr : process.stdout;
      if (!other.destroyed) other.write(`error[io_error]: ${name}: ${ioCause(error)}\n`);
    });
  }
  return controller;
}
