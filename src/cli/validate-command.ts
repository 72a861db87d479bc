// cli: `recomp validate`: compare a capture with the reference footage and write the reports (exit 0 pass, 1 fail, 2 bad input).
import type { Command } from "commander";
import { ExitCode } from "../util/errors.js";
import { validationReportSchema } from "../config/validation-report.js";
import { printResult } from "./json-output.js";
import { canonicalJsonPretty } from "../util/canonical-json.js";
import { validateRun } from "../validate/run.js";

interface ValidateFlags {
  reference: string;
  capture: string;
  validationConfig?: string;
  outDir: string;
  junit?: string;
  ffmpeg?: string;
  json?: boolean;
}

export function registerValidateCommand(program: Command): void {
  program
    .command("validate")
    .description("compare a capture with reference footage; writes validation-report.json/.txt/.html (exit 0 pass, 1 fail, 2 bad input)")
    .requiredOption("--reference <file>", "reference_video.toml")
    .requiredOption("--capture <file>", "capture_video.toml")
    .option("--validation-config <file>", "validation_config.toml (overrides the reference's [validation])")
    .requiredOption("--out-dir <dir>", "folder for the reports")
    .option("--junit <file>", "also write JUnit XML for CI")
    .option("--ffmpeg <path>", "ffmpeg binary (ffprobe is taken from the same folder)")
    .option("--json", "print validation-report.json instead of the text verdict")
    .action(async (flags: ValidateFlags) => {
      const result = await validateRun({
        referenceVideoToml: flags.reference,
        captureVideoToml: flags.capture,
        validationConfigToml: flags.validationConfig,
        outDir: flags.outDir,
        junitPath: flags.junit,
        ffmpegPath: flags.ffmpeg,
      });
      printResult(flags.json, validationReportSchema, result.report, result.summary, canonicalJsonPretty);
      if (!result.passed) process.exitCode = ExitCode.validationFailed;
    });
}
