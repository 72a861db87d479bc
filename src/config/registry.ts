// config: every file format recomp reads or writes, by the name `recomp schema NAME` uses.
import type { z } from "zod";
import { automationSchema } from "./automation.js";
import { jsonErrorSchema, resultSchemas } from "./cli-results.js";
import { inputScriptSchema } from "./input-script.js";
import { intakeManifestSchema, intakeModuleSchema } from "./intake-module.js";
import { moduleJsonSchema } from "./module-json.js";
import { priorModuleJsonSchema } from "./prior-module-json.js";
import { provenanceSchema } from "./provenance.js";
import { runManifestSchema } from "./run-manifest.js";
import { replayLogLineSchema } from "./replay-log.js";
import { titleSchema } from "./title.js";
import { validationConfigSchema } from "./validation-config.js";
import { validationReportSchema } from "./validation-report.js";
import { captureVideoSchema, referenceVideoSchema } from "./video.js";

export interface RegisteredSchema {
  title: string;
  schema: z.ZodType;
}

export const schemaRegistry: Record<string, RegisteredSchema> = {
  automation: { title: "recomp automation.toml", schema: automationSchema },
  "capture-video": { title: "recomp capture_video.toml", schema: captureVideoSchema },
  "input-script": { title: "recomp input_script.toml", schema: inputScriptSchema },
  "intake-manifest": { title: "recomp intake manifest.json (homebrew and XCI)", schema: intakeManifestSchema },
  "intake-module": { title: "recomp intake module.json (homebrew and XCI)", schema: intakeModuleSchema },
  module: { title: "recomp module.json (lifted IR)", schema: moduleJsonSchema },
  "prior-module": { title: "the prior art's lifted module.json (read by recomp emit and lifted mode)", schema: priorModuleJsonSchema },
  provenance: { title: "recomp provenance.toml", schema: provenanceSchema },
  "replay-log-line": { title: "recomp replay-log.jsonl line (runtime services)", schema: replayLogLineSchema },
  "reference-video": { title: "recomp reference_video.toml", schema: referenceVideoSchema },
  "run-manifest": { title: "recomp run-manifest.json", schema: runManifestSchema },
  title: { title: "recomp title.toml", schema: titleSchema },
  "validation-config": { title: "recomp validation_config.toml", schema: validationConfigSchema },
  "validation-report": { title: "recomp validation-report.json", schema: validationReportSchema },
  "json-error": { title: "what a recomp command prints on stdout with --json when it fails (docs/cli.md)", schema: jsonErrorSchema },
  ...Object.fromEntries(
    Object.entries(resultSchemas).map(([command, schema]) => [`result-${command.replace(" ", "-")}`, { title: `what recomp ${command} --json prints`, schema }]),
  ),
};
