// replay: reading an input_script.toml and scheduling it in one call (what the CLI and scripts use).
import { inputScriptSchema, type InputScript } from "../config/input-script.js";
import { loadTomlFile } from "../config/toml.js";
import { scheduleInputScript, type ReplaySchedule } from "./schedule.js";

export interface LoadedInputScript {
  script: InputScript;
  schedule: ReplaySchedule;
}

/** The demo's frame rate; input scripts in `ms` timing resolve against it unless told otherwise. */
export const defaultReplayFps = 30;

export async function loadInputScript(file: string, fps: number = defaultReplayFps): Promise<LoadedInputScript> {
  const { data } = await loadTomlFile(file, inputScriptSchema, "input script");
  return { script: data, schedule: scheduleInputScript(data, fps, file) };
}
