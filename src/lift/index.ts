// lift: A64 decoding and disassembly, function discovery and CFG building into module.json IR.
export * from "./a64/decode.js";
export type * from "./a64/types.js";
