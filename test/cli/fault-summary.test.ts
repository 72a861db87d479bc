// A run that reaches an instruction recomp cannot lift yet, or loads from unmapped memory, faults, and the
// console summary (no --verbose) names the instruction, the lifted function and the offset in the input file.
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeProvenance } from "../../src/intake/provenance-init.js";
import { demoDir } from "../../scripts/demo/paths.js";
import { recomp, recompBin } from "../engine/fixture.js";
import { testProvenanceIdentity } from "../helpers/provenance.js";
import { requireTools } from "../helpers/tools.js";

/** `sub w2, w2, #0x2d` in the demo's drawing code (reached on the first frame), replaced by an FP/SIMD word recomp does not lift. */
const patchOffset = 0x218;
const originalWord = 0x5100b442;
const unsupportedWord = 0x1ee02820;
/** `ldr w2, [x2]`: w2 holds a small coordinate there, so the load reads the unmapped first page. */
const badLoadWord = 0xb9400042;

/** demo.nro with `word` at the patch offset, and a provenance.toml that vouches for it. */
async function patchDemo(word: number): Promise<void> {
  const nro = await readFile(join(demoDir, "demo.nro"));
  if (nro.readUInt32LE(patchOffset) !== originalWord) throw new Error(`demo.nro changed: pick a new patch offset than 0x${patchOffset.toString(16)}`);
  nro.writeUInt32LE(word, patchOffset);
  await writeFile(join(dir, "demo.nro"), nro);
  await writeProvenance([join(dir, "demo.nro")], { ...testProvenanceIdentity, out: join(dir, "provenance.toml"), force: true });
}

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "recomp-fault-summary-"));
  for (const name of ["title.toml", "input_script.toml", "capture_video.toml"]) await copyFile(join(demoDir, name), join(dir, name));
  const config = await readFile(join(demoDir, "automation.toml"), "utf8");
  await writeFile(join(dir, "automation.toml"), config.replace('"../../bin/recomp.js"', JSON.stringify(recompBin)));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a run that faults", () => {
  it.runIf(requireTools("cc", "make"))("on an unsupported instruction: the summary names mnemonic or group, function and file offset", async () => {
    await patchDemo(unsupportedWord);
    const result = await recomp(dir, ["automate"], { XDG_CACHE_HOME: join(dir, "cache") });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("lift: ran");
    expect(result.stderr).toMatch(/^run failed: exited with code 3; see work\/logs\/run\.stderr\.log$/m);
    expect(result.stderr).toContain(
      "  fault: unsupported instruction 0x1ee02820 ((FP/SIMD, scalar)) at 0x10000218 in function fn_100001b0, file offset 0x218 of demo.nro (instruction at 0x10000218)\n",
    );
  });

  // The same work root: the second run re-lifts and rebuilds only the changed unit (the object cache keeps the rest).
  it.runIf(requireTools("cc", "make"))("on a load from unmapped memory: the summary names the instruction, function and file offset", async () => {
    await patchDemo(badLoadWord);
    const result = await recomp(dir, ["automate"], { XDG_CACHE_HOME: join(dir, "cache") });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^run failed: exited with code 3; see work\/logs\/run\.stderr\.log$/m);
    expect(result.stderr).toMatch(
      /^ {2}fault: read outside guest memory: 4 bytes at 0x[0-9a-f]+ \(instruction at 0x10000218: ldr w2, \[x2\] in function fn_100001b0, file offset 0x218 of demo\.nro\)$/m,
    );
  });
});
