// engine stages: the loop's stages in order (intake .. archive).
import type { StageDefinition } from "../stage.js";
import { archiveStage } from "./archive.js";
import { analysisStage, buildStage, captureStage, extractAudioStage, extractFramesStage, runStage } from "./commands.js";

export const defaultStages: readonly StageDefinition[] = [
  analysisStage,
  buildStage,
  runStage,
  captureStage,
  extractFramesStage,
  extractAudioStage,
  archiveStage,
];
