// formats: pure parsers and builders of Switch file formats over random-access byte sources.
export * from "./byte-source.js";
export * from "./fields.js";
export * from "./nro-layout.js";
export * from "./nro-build.js";
export * from "./elf64.js";
export * from "./elf-to-nro.js";
