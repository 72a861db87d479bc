import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { intakeXci } from "../../src/intake/xci-intake.js";
import { sha256Hex } from "../../src/util/hash.js";
import { makeXciCase, romfsFiles, type XciCase } from "../fixtures/xci-case.js";
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
    const { manifest } = await intakeXci({ xci: fixture.xci, keys: fixture.keys, provenance: fixture.provenance, outDir: fixture.outDir, assetsDir: fixture.assetsDir });
    expect(manifest.program.title_id).toBe("0100000000ab0000");
    expect(manifest.program.version).toBe(0);
    expect(manifest.program.exefs).toEqual(["main", "main.npdm", "subsdk0"]);
    expect(manifest.tool.name).toBe("recomp");
    expect((await readdir(join(fixture.outDir, "exefs"))).sort()).toEqual(["main", "main.npdm", "subsdk0"]);
    for (const file of romfsFiles) {
      expect(sha256Hex(await readFile(join(fixture.assetsDir, "romfs", file.path)))).toBe(sha256Hex(file.data));
    }
    expect(manifest.assets.map((a) => a.path)).toEqual(["romfs/data/level1.bin", "romfs/readme.txt"]);
    const written = JSON.parse(await readFile(join(fixture.outDir, "manifest.json"), "utf8")) as unknown;
    expect(written).toEqual(JSON.parse(JSON.stringify(manifest)));
  });
});
