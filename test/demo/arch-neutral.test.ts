import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseHashList } from "../../src/media/index.js";
import { aarch64LinuxTarget } from "../../scripts/demo/native.js";
import { demoPaths } from "../../scripts/demo/paths.js";
import { makeDemoReference } from "../../scripts/demo/reference.js";
import { requireTools } from "../helpers/tools.js";

// The demo's C source must not depend on the architecture (char signedness, shifts, division):
// built for AArch64 Linux and run under qemu, it reproduces the host reference exactly. A later
// difference of the recompiled NRO is then the lifter's, not the demo's.
describe.runIf(requireTools("aarch64-linux-gnu-gcc", "qemu-aarch64"))("the demo source on AArch64", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "recomp-demo-arm-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("gives the reference frames and audio under qemu-aarch64", async () => {
    const arm = await makeDemoReference(join(dir, "capture"), aarch64LinuxTarget);
    expect(arm.frames).toEqual(parseHashList(await readFile(demoPaths.frameHashes, "utf8"), demoPaths.frameHashes).hashes);
    expect(arm.audio).toEqual(parseHashList(await readFile(demoPaths.audioHashes, "utf8"), demoPaths.audioHashes).hashes);
  });
});
