// reference: references made without a console (emulation of the original code) and where two runs part.
export * from "./compare.js";
export * from "./emulate.js";
