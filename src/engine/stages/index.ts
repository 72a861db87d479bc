// engine stages: the loop's stages in order (intake .. archive).
import type { StageDefinition } from "../stage.js";
import { archiveStage } from "./archive.js";
import { analysisStage, buildStage, captureStage, extractAudioStage, extractFramesStage, runStage } from "./commands.js";
import { liftStage, pipelineStage } from "./compile.js";
import { emulateReferenceStage } from "./emulate-reference.js";
import { intakeStage } from "./intake.js";
import { hashAudioStage, hashFramesStage, validateStage } from "./validation.js";

export const defaultStages: readonly StageDefinition[] = [
  intakeStage,
  analysisStage,
  liftStage,
  pipelineStage,
  buildStage,
  runStage,
  captureStage,
  extractFramesStage,
  extractAudioStage,
  hashFramesStage,
  hashAudioStage,
  emulateReferenceStage,
  validateStage,
  archiveStage,
];
