/**
 * Regenerates samples/lifted/module/ (module.json and segments/*.bin): the demo NRO lifted by
 * recomp's own lifter, the input of the lifted-mode sample. A test checks the committed copy is
 * what this script writes today.
 *
 *   npx tsx scripts/make-lifted-sample.ts [OUT_DIR]
 */
import { resolve } from "node:path";
import { imageFromNro, liftModule } from "../src/lift/index.js";
import { demoPaths, repoRoot } from "./demo/paths.js";

export const liftedSampleDir = resolve(repoRoot, "samples", "lifted", "module");
/** The demo's load base (samples/demo/title.toml). */
const demoBase = 0x10000000n;

export async function makeLiftedSample(outDir: string): Promise<void> {
  await liftModule({ image: await imageFromNro(demoPaths.nro, demoBase), mode: "decode", entryName: "entry", outDir });
}

if (import.meta.url === `file://${process.argv[1] ?? ""}`) {
  const outDir = resolve(process.argv[2] ?? liftedSampleDir);
  await makeLiftedSample(outDir);
  process.stdout.write(`wrote ${outDir}\n`);
}
