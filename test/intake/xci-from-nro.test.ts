// The XCI form of a homebrew title gives the same segments as homebrew intake of its NRO.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildNro } from "../../src/formats/nro-build.js";
import { buildRomfs } from "../../src/formats/testing/romfs-build.js";
import { intakeHomebrew } from "../../src/intake/homebrew.js";
import { verifyProvenance } from "../../src/intake/provenance.js";
import { writeProvenance } from "../../src/intake/provenance-init.js";
import { intakeXci } from "../../src/intake/xci-intake.js";
import { fixtureSegments } from "../fixtures/segments.js";
import { makeXciFromNro } from "../fixtures/xci-from-nro.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "recomp-xci-nro-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("XCI built from an NRO", () => {
  it("yields the NRO's segments and RomFS byte for byte", async () => {
    const segments = fixtureSegments({ text: 0x2000, rodata: 0x1000, data: 0x1000, bss: 0x1000 }, 3);
    const romfs = buildRomfs([{ path: "a/b.txt", data: Buffer.from("asset\n") }]);
    const nro = join(dir, "main.nro");
    await writeFile(nro, buildNro({ ...segments, assets: { romfs } }));
    await writeProvenance([nro], { out: join(dir, "nro-provenance.toml"), titleName: "t", titleId: "0100000000ab0000", titleVersion: "0", region: "none", device: "generated", collectedAt: "2026-11-21", toolName: "tests", toolVersion: "1" });
    const homebrew = await intakeHomebrew({ nro, nso: [], provenance: await verifyProvenance(join(dir, "nro-provenance.toml")), outDir: join(dir, "hb-intake"), assetsDir: join(dir, "hb-assets") });

    const xci = await makeXciFromNro(nro, join(dir, "xci-in"));
    const { module } = await intakeXci({ xci: xci.xci, keys: xci.keys, provenance: xci.provenance, outDir: join(dir, "xci-intake"), assetsDir: join(dir, "xci-assets") });
    const fromXci = module.modules[0];
    const fromNro = homebrew.module.modules[0];
    expect(fromXci?.name).toBe("main");
    expect(fromXci?.segments.map((s) => [s.name, s.sha256, s.memory_offset, s.size])).toEqual(fromNro?.segments.map((s) => [s.name, s.sha256, s.memory_offset, s.size]));
    expect(fromXci?.bss).toEqual(fromNro?.bss);
    expect(fromXci?.mod0).toEqual(fromNro?.mod0);
    expect(await readFile(join(dir, "xci-assets", "romfs", "a", "b.txt"), "utf8")).toBe("asset\n");
    expect(await readFile(join(dir, "hb-assets", "romfs", "a", "b.txt"), "utf8")).toBe("asset\n");
  });
});
