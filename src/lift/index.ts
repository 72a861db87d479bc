// lift: A64 decoding and disassembly, function discovery and CFG building into module.json IR.
export * from "./a64/decode.js";
export type * from "./a64/types.js";
export * from "./cfg.js";
export * from "./code-image.js";
export * from "./inputs.js";
export * from "./lift-module.js";
export * from "./lift-report.js";
export * from "./module-code.js";
export * from "./intake-image.js";
export * from "./from-prior-ir.js";
export * from "./module-json-text.js";
