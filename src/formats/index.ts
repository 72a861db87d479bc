// formats: pure parsers over byte ranges for Switch file formats, and content-based format detection.
export * from "./detect.js";
