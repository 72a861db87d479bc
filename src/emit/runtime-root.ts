// emit: where the C runtime shipped with recomp lives. Its own module: the stages name it as an input folder
// when they plan, on every run, and need not load the emitter for that (issue 11).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The C runtime shipped with recomp (core and services), copied into every generated project. */
export const runtimeRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "runtime");
