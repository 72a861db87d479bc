import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectInspectFormat, inspectFile } from "../../src/inspect/handlers.js";
import { renderReport } from "../../src/inspect/report.js";
import { buildNacp, buildRomfs } from "../../src/formats/testing/index.js";
import { RecompError } from "../../src/util/errors.js";
import { writeHomebrewFixture, type HomebrewFixture } from "../fixtures/homebrew-fixture.js";

let dir: string;
let fixture: HomebrewFixture;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "recomp-inspect-"));
  fixture = await writeHomebrewFixture(join(dir, "title"));
  await writeFile(join(dir, "control.nacp"), buildNacp({ titles: [{ language: "French", name: "Jeu", publisher: "Moi" }], displayVersion: "2.0", applicationId: "0100000000000abc" }));
  await writeFile(join(dir, "romfs.bin"), buildRomfs([{ path: "x/y.txt", data: Buffer.from("y") }]));
  await writeFile(join(dir, "noise.bin"), Buffer.alloc(100, 0x33));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("recomp inspect", () => {
  it("detects each supported format from content", async () => {
    expect(await detectInspectFormat(fixture.nro)).toBe("nro0");
    expect(await detectInspectFormat(fixture.nso)).toBe("nso0");
    expect(await detectInspectFormat(join(dir, "control.nacp"))).toBe("nacp");
    expect(await detectInspectFormat(join(dir, "romfs.bin"))).toBe("romfs");
    expect(await detectInspectFormat(join(dir, "noise.bin"))).toBe("unknown");
  });

  it("reports an NRO's segments, MOD0, assets, NACP and RomFS", async () => {
    const report = await inspectFile(fixture.nro, "app.nro");
    const text = renderReport("app.nro", report);
    expect(text).toContain("  text    r-x memory 0x0..0x3000 (0x3000 bytes), stored at 0x0\n");
    expect(text).toContain("  dynamic        0x4010\n");
    expect(text).toContain("  AmericanEnglish  Fixture Homebrew / recomp tests\n");
    expect(text).toContain("  data/text/hello.txt  0x15\n");
    const data = report.data as { nacp: { applicationId: string }; romfs: { files: unknown[] } };
    expect(data.nacp.applicationId).toBe("0100000000c0ffee");
    expect(data.romfs.files).toHaveLength(3);
  });

  it("reports an NSO's flags, compressed sizes and a passing segment check", async () => {
    const text = renderReport("main.nso", await inspectFile(fixture.nso, "main.nso"));
    expect(text).toContain("flags        0x3f (compressed: text, rodata, data; hash checked: text, rodata, data)");
    expect(text).toContain("  result  every segment loads; flagged hashes match\n");
  });

  it("reports a NACP and a RomFS image on their own", async () => {
    expect(renderReport("c", await inspectFile(join(dir, "control.nacp"), "c"))).toContain("  French           Jeu / Moi\n");
    expect(renderReport("r", await inspectFile(join(dir, "romfs.bin"), "r"))).toContain("  x/y.txt      0x1\n");
  });

  it("refuses an unknown format with the supported list", async () => {
    const error = await inspectFile(join(dir, "noise.bin"), "noise.bin").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecompError);
    expect((error as RecompError).code).toBe("format_unsupported");
    expect((error as RecompError).hint).toBe("supported: exefs, hfs0, nacp, nca, nca_candidate, nro0, nso0, romfs, xci; force one with --format");
  });
});
