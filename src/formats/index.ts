// formats: pure parsers and builders of Switch file formats over random-access byte sources, and content-based format detection.
export * from "./byte-source.js";
export * from "./detect.js";
export * from "./fields.js";
export * from "./lz4.js";
export * from "./mod0.js";
export * from "./nacp.js";
export * from "./nro.js";
export * from "./nro-build.js";
export * from "./elf64.js";
export * from "./elf-to-nro.js";
export * from "./nro-layout.js";
export * from "./nso.js";
export * from "./romfs.js";
export * from "./romfs-layout.js";
export * from "./segment.js";
