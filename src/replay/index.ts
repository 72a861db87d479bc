// replay: input scripts scheduled per frame, the runtime's replay file, and summaries.
export * from "./schedule.js";
export * from "./replay-file.js";
export * from "./load.js";
export * from "./summary.js";
export * from "./run-with-replay.js";
export * from "./replay-log.js";
