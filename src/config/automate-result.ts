// config: what `recomp automate --json` prints. Its own file, apart from the other commands' results
// (cli-results.ts): a no-op re-run with --json checks its summary without building every result schema.
import { z } from "zod";
import { shownPath } from "./common.js";
import { stepStatuses } from "./run-manifest.js";

export const automateResultSchema = z.strictObject({
  exit_code: z.number().int().describe("recomp's exit code: 0 passed or no reference, 1 validation failed, 2 input error, 3 stage failed, 130 interrupted"),
  result: z.enum(["passed", "no_reference", "validation_failed", "stage_failed", "interrupted", "incomplete"]).describe("the run's verdict"),
  run_id: z.string().describe("the run's id (its folder under <work_root>/runs/)"),
  manifest: shownPath("run-manifest.json"),
  assets: z.string().describe("the assets folder: relative when below the current folder, else absolute"),
  validation_report: z
    .looseObject({
      path: shownPath("validation-report.json"),
      passed: z.boolean().describe("whether the capture matched the reference"),
    })
    .nullable()
    .describe("the validation report, or null when validation did not run"),
  capture_hash_lists: z.array(z.string()).nullable().describe("with no reference yet: the capture's hash lists (relative to the current folder), else null"),
  steps: z
    .array(
      z.strictObject({
        name: z.string().describe("the stage"),
        status: z.enum(stepStatuses).describe("how it ended"),
        cache_hit: z.boolean().describe("true when it was reused"),
        duration_ms: z.number().int().nonnegative().describe("wall time it took, in milliseconds"),
        notes: z.array(z.string()).describe("what it reported: why it ran or was reused, counts, failure reasons"),
      }),
    )
    .describe("every stage, in order, as run-manifest.json records it"),
});
