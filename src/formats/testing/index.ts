// formats/testing: builders of small well-formed images for tests and fixtures (never real content).
export * from "./nacp-build.js";
export * from "./npdm-build.js";
export * from "./romfs-build.js";
export * from "./nca-writer.js";
export * from "./xci-writer.js";
export * from "./xci-fixture.js";
export * from "./large-romfs.js";
