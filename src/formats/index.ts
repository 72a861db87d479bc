// formats: pure parsers and builders of Switch file formats over random-access byte sources, and content-based format detection.
export * from "./byte-source.js";
export * from "./fields.js";
export * from "./nro-layout.js";
export * from "./nro-build.js";
export * from "./detect.js";
export * from "./keyset.js";
export * from "./nca-crypto.js";
export * from "./nca.js";
export * from "./nca-section-fs.js";
export * from "./partition-fs.js";
export * from "./partition-fs-writer.js";
export * from "./xci.js";
export * from "./cnmt.js";
