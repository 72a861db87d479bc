// cli: `recomp manifest diff [A B]`: what differs between two runs (run id, timings and replay notes ignored).
// Without arguments it compares the last two runs kept under the work root of --config.
import { join, resolve, dirname } from "node:path";
import type { Command } from "commander";
import { automationSchema, type AutomationConfig } from "../config/automation.js";
import { parseTomlText, readTextFile, schemaErrors } from "../config/toml.js";
import { diffManifests } from "../engine/manifest-diff.js";
import { parseManifest } from "../engine/manifest.js";
import { runsDir } from "../engine/run-folders.js";
import { listRuns } from "../engine/run-history.js";
import { RecompError, RecompErrorList } from "../util/errors.js";
import { manifestDiffResultSchema } from "../config/cli-results.js";
import { jsonOption, printResult } from "./json-output.js";

async function load(file: string) {
  const manifest = parseManifest(await readTextFile(file, "run manifest"));
  if (manifest === undefined) {
    throw new RecompError({ code: "format_invalid", message: "not a run-manifest.json (schema 1)", location: { file }, hint: "pass two run-manifest.json files written by recomp automate" });
  }
  return manifest;
}

/** The manifests of the last two runs kept under the config's work root. */
async function lastTwoRuns(configFile: string): Promise<[string, string]> {
  const text = await readTextFile(configFile, "automation config");
  const parsed = schemaErrors(automationSchema, parseTomlText(text, configFile), configFile, text);
  if (parsed.errors.length > 0) throw new RecompErrorList(parsed.errors);
  const workRoot = resolve(dirname(resolve(configFile)), (parsed.value as AutomationConfig).outputs.work_root);
  const runs = await listRuns(workRoot);
  const [before, after] = runs.slice(-2);
  if (before === undefined || after === undefined) {
    throw new RecompError({
      code: "input_missing",
      message: `${runs.length === 0 ? "no runs are" : "only one run is"} kept under ${runsDir(workRoot)}`,
      location: { file: configFile, keyPath: "outputs.work_root" },
      hint: "run recomp automate twice, or pass two run-manifest.json files",
    });
  }
  return [join(runsDir(workRoot), before, "run-manifest.json"), join(runsDir(workRoot), after, "run-manifest.json")];
}

export function registerManifestCommand(program: Command): void {
  const manifest = program.command("manifest").description("work with run-manifest.json files");
  jsonOption(manifest.command("diff"))
    .description(
      "print what differs between two run manifests (by default the last two runs kept under the work root); exit 0 when nothing does, 1 otherwise",
    )
    .argument("[before]", "run-manifest.json")
    .argument("[after]", "run-manifest.json")
    .option("--config <file>", "automation.toml whose last two runs are compared when no manifests are given", "automation.toml")
    .action(async (before: string | undefined, after: string | undefined, flags: { config: string; json?: boolean }) => {
      if ((before === undefined) !== (after === undefined)) {
        throw new RecompError({ code: "usage", message: "pass two manifests, or none to compare the last two runs" });
      }
      const [a, b] = before !== undefined && after !== undefined ? [before, after] : await lastTwoRuns(flags.config);
      const lines = diffManifests(await load(a), await load(b));
      const text = lines.length === 0 ? "no differences (run id, timings and replay notes ignored)\n" : lines.map((line) => `${line}\n`).join("");
      printResult(flags.json, manifestDiffResultSchema, { before: a, after: b, same: lines.length === 0, differences: lines }, text);
      process.exitCode = lines.length === 0 ? 0 : 1;
    });
}
