// emit: module.json IR to a C99 project (guest code, runtime core, segment images, Makefile).
export * from "./emit-project.js";
export * from "./load-module.js";
export * from "./memory-map.js";
export * from "./runtime-root.js";
