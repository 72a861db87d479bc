// intake: turning a title's inputs (provenance-checked) into segment images and a module description.
export * from "./provenance.js";
export * from "./asset-separation.js";
export * from "./provenance-init.js";
export * from "./homebrew.js";
export * from "./homebrew-assets.js";
export * from "./homebrew-modules.js";
export * from "./staged-folder.js";
export * from "./file-digests.js";
export * from "./romfs-extract.js";
export * from "./xci-extract.js";
export * from "./xci-intake.js";
export * from "./xci-programs.js";
export * from "./xci-tools.js";
