/**
 * Generates the inputs of samples/demo/automation.xci.toml in samples/demo/xci-inputs (git-ignored, never committed): the XCI form of the
 * demo (demo.nro's code as the ExeFS main NSO), the obviously fake test keyset it is encrypted
 * with, and a provenance.toml listing both.
 *
 *   npx tsx scripts/make-demo-xci.ts
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { makeXciFromNro } from "../test/fixtures/xci-from-nro.js";
import { demoPaths, repoRoot } from "./demo/paths.js";

export const demoXciInputs = join(repoRoot, "samples", "demo", "xci-inputs");

export async function makeDemoXci(): Promise<void> {
  await rm(demoXciInputs, { recursive: true, force: true });
  await makeXciFromNro(demoPaths.nro, demoXciInputs, "0100000000000000");
  // The NCAs stay inside game.xci; their loose copies are not inputs.
  await rm(join(demoXciInputs, "nca-work"), { recursive: true, force: true });
}

if (import.meta.url === `file://${process.argv[1] ?? ""}`) {
  await makeDemoXci();
  process.stdout.write(`wrote ${demoXciInputs}\n`);
}
