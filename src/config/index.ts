// config: zod schemas for every TOML and JSON file recomp reads or writes, and the TOML loader.
export * from "./automation.js";
export * from "./provenance.js";
export * from "./video.js";
export * from "./validation-config.js";
export * from "./validation-report.js";
export * from "./input-script.js";
export * from "./controls.js";
export * from "./replay-log.js";
export * from "./intake-module.js";
export * from "./title.js";
export * from "./toml.js";
export * from "./timecode.js";
export * from "./run-manifest.js";
export * from "./module-json.js";
export * from "./prior-module-json.js";
export * from "./json-file.js";
