/**
 * Rebuilds samples/demo/demo.nro from samples/demo/src with aarch64-linux-gnu-gcc and
 * `recomp tools elf2nro`'s packer. With --check, compares instead of writing (exit 1 on a difference).
 *
 *   npx tsx scripts/build-demo.ts [--check]
 */
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../src/util/atomic-write.js";
import { buildDemoNro } from "./demo/build-guest.js";
import { demoPaths } from "./demo/paths.js";

const packed = await buildDemoNro();
if (process.argv.includes("--check")) {
  const committed = await readFile(demoPaths.nro);
  const same = Buffer.compare(committed, Buffer.from(packed.nro)) === 0;
  process.stdout.write(same ? "samples/demo/demo.nro is up to date\n" : "samples/demo/demo.nro differs from a fresh build\n");
  process.exitCode = same ? 0 : 1;
} else {
  await writeFileAtomic(demoPaths.nro, packed.nro);
  process.stdout.write(`wrote samples/demo/demo.nro (${packed.nro.length} bytes, build id ${packed.buildId})\n`);
}
