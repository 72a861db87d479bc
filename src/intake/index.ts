// intake: turning a title's inputs (provenance-checked) into segment images and a module description.
export * from "./provenance.js";
export * from "./asset-separation.js";
export * from "./provenance-init.js";
