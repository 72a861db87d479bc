// config: every file format recomp reads or writes, by the name `recomp schema NAME` uses.
import type { z } from "zod";
import { automationSchema } from "./automation.js";
import { inputScriptSchema } from "./input-script.js";
import { intakeManifestSchema, intakeModuleSchema } from "./intake-module.js";
import { provenanceSchema } from "./provenance.js";
import { titleSchema } from "./title.js";
import { validationConfigSchema } from "./validation-config.js";
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
  provenance: { title: "recomp provenance.toml", schema: provenanceSchema },
  "reference-video": { title: "recomp reference_video.toml", schema: referenceVideoSchema },
  title: { title: "recomp title.toml", schema: titleSchema },
  "validation-config": { title: "recomp validation_config.toml", schema: validationConfigSchema },
};
