// inspect: readable and JSON reports of any supported file, through a table of format handlers.
export * from "./handlers.js";
export * from "./homebrew-handlers.js";
export * from "./report.js";
export * from "./xci-handlers.js";
