import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { intakeXci } from "../../src/intake/xci-intake.js";
import { sha256Hex } from "../../src/util/hash.js";
import { makeXciCase, romfsFiles, type XciCase } from "../fixtures/xci-case.js";
import { fixtureSegments } from "../fixtures/segments.js";
import { rm } from "node:fs/promises";

let fixture: XciCase;

beforeAll(async () => {
  fixture = await makeXciCase();
});

afterAll(async () => {
  await rm(fixture.dir, { recursive: true, force: true });
});

describe("XCI intake (native)", () => {
  it("extracts ExeFS to the intake folder and the RomFS tree to the assets root", async () => {
    const { manifest, module } = await intakeXci({ xci: fixture.xci, keys: fixture.keys, provenance: fixture.provenance, outDir: fixture.outDir, assetsDir: fixture.assetsDir });
    expect(manifest.mode).toBe("xci");
    expect(module.modules.map((m) => m.name)).toEqual(["main", "subsdk0"]);
    // Segments come out of the LZ4-compressed NSOs byte for byte.
    const main = fixtureSegments({ text: 0x3000, rodata: 0x1000, data: 0x1000, bss: 0x2000 }, 1);
    expect(sha256Hex(await readFile(join(fixture.outDir, "segments", "main", "text.bin")))).toBe(sha256Hex(main.text));
    expect(sha256Hex(await readFile(join(fixture.outDir, "segments", "main", "data.bin")))).toBe(sha256Hex(main.data));
    expect(module.modules[0]?.bss.size).toBe(0x2000);
    expect(manifest.program?.title_id).toBe("0100000000ab0000");
    expect(manifest.program?.version).toBe(0);
    expect(manifest.program?.exefs).toEqual(["main", "main.npdm", "subsdk0"]);
    expect(manifest.tool?.name).toBe("recomp");
    expect((await readdir(join(fixture.outDir, "exefs"))).sort()).toEqual(["main", "main.npdm", "subsdk0"]);
    for (const file of romfsFiles) {
      expect(sha256Hex(await readFile(join(fixture.assetsDir, "romfs", file.path)))).toBe(sha256Hex(file.data));
    }
    expect(manifest.assets.map((a) => a.path)).toEqual(["romfs/data/level1.bin", "romfs/readme.txt"]);
    expect(manifest.files.map((f) => f.path)).toEqual([
      "exefs/main",
      "exefs/main.npdm",
      "exefs/subsdk0",
      "module.json",
      "segments/main/data.bin",
      "segments/main/rodata.bin",
      "segments/main/text.bin",
      "segments/subsdk0/data.bin",
      "segments/subsdk0/rodata.bin",
      "segments/subsdk0/text.bin",
    ]);
    const written = JSON.parse(await readFile(join(fixture.outDir, "manifest.json"), "utf8")) as unknown;
    expect(written).toEqual(JSON.parse(JSON.stringify(manifest)));
  });
});
