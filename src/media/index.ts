// media: decoding through ffmpeg/ffprobe: exact frame/audio hashes, perceptual features, probing, normalizing.
export * from "./ffmpeg-tool.js";
export * from "./probe.js";
export * from "./probe-cache.js";
export * from "./natural-sort.js";
export * from "./frame-input.js";
export * from "./luma-signature.js";
export * from "./colour-thumb.js";
export * from "./frame-features.js";
export * from "./audio-signature.js";
export * from "./audio-features.js";
export * from "./hash-list.js";
export * from "./features-file.js";
export * from "./hash-writer.js";
export * from "./normalize.js";
export * from "./encoder-identity.js";
export * from "./thumbnails.js";
