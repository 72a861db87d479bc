import { describe, expect, it } from "vitest";
import { memorySource } from "../../src/formats/byte-source.js";
import { buildNro } from "../../src/formats/nro-build.js";
import { parseNro } from "../../src/formats/nro.js";
import { parseNacp } from "../../src/formats/nacp.js";
import { parseRomfs } from "../../src/formats/romfs.js";
import { subSource } from "../../src/formats/byte-source.js";
import { buildNacp, buildRomfs } from "../../src/formats/testing/index.js";
import { errorOf } from "../helpers/errors.js";
import { fixtureSegments } from "../fixtures/segments.js";

const segments = fixtureSegments({ text: 0x1800, rodata: 0x900, data: 0x300, bss: 0x2345 });
const nacp = buildNacp({
  titles: [{ language: "AmericanEnglish", name: "Fixture", publisher: "recomp tests" }],
  displayVersion: "1.2.3",
  applicationId: "0100000000001234",
});
const romfs = buildRomfs([
  { path: "hello.txt", data: Buffer.from("hello\n") },
  { path: "gfx/tiles.bin", data: new Uint8Array(100).fill(7) },
]);
const icon = Buffer.from("not really a JPEG");

function nroWithAssets(): Uint8Array {
  return buildNro({ ...segments, dynstr: { offset: 0x100, size: 0x40 }, dynsym: { offset: 0x200, size: 0x30 }, assets: { icon, nacp, romfs } });
}


describe("NRO", () => {
  it("reads the header, segments, MOD0 and build id", async () => {
    const info = await parseNro(memorySource(nroWithAssets(), "app.nro"));
    expect(info.size).toBe(0x4000);
    expect(info.segments.map((s) => [s.name, s.fileOffset, s.memoryOffset, s.size, s.permissions])).toEqual([
      ["text", 0, 0, 0x2000, "r-x"],
      ["rodata", 0x2000, 0x2000, 0x1000, "r--"],
      ["data", 0x3000, 0x3000, 0x1000, "rw-"],
    ]);
    expect(info.bssSize).toBe(0x3000);
    expect(info.buildId).toBe(Buffer.from(segments.buildId).toString("hex") + "00".repeat(12));
    expect(info.dynstr).toEqual({ offset: 0x100, size: 0x40 });
    expect(info.dynsym).toEqual({ offset: 0x200, size: 0x30 });
    expect(info.mod0).toEqual({ ...segments.expectedMod0, moduleObjectOffset: 0x3040 });
  });

  it("finds the icon, NACP and RomFS in the asset section", async () => {
    const bytes = nroWithAssets();
    const source = memorySource(bytes, "app.nro");
    const info = await parseNro(source);
    expect(info.assets).toEqual({
      offset: 0x4000,
      version: 0,
      icon: { offset: 0x4038, size: icon.length },
      nacp: { offset: 0x4038 + icon.length, size: 0x4000 },
      romfs: { offset: 0x4038 + icon.length + 0x4000, size: romfs.length },
    });
    const nacpInfo = await parseNacp(subSource(source, info.assets?.nacp?.offset ?? 0, 0x4000, "app.nro:nacp"));
    expect(nacpInfo.titles).toEqual([{ language: "AmericanEnglish", name: "Fixture", publisher: "recomp tests" }]);
    const tree = await parseRomfs(subSource(source, info.assets?.romfs?.offset ?? 0, romfs.length, "app.nro:romfs"));
    expect(tree.files.map((f) => f.path)).toEqual(["gfx/tiles.bin", "hello.txt"]);
  });

  it("has no assets when nothing follows the declared size", async () => {
    const info = await parseNro(memorySource(buildNro(segments), "plain.nro"));
    expect(info.assets).toBeUndefined();
    expect(info.fileSize).toBe(info.size);
  });

  it("rejects a wrong magic naming the field", async () => {
    const bytes = buildNro(segments);
    bytes[0x10] = 0x58;
    const error = await errorOf(parseNro(memorySource(bytes, "bad.nro")));
    expect(error.location).toEqual({ file: "bad.nro", keyPath: "header.magic", offset: 0x10 });
  });

  it("rejects a truncated file at every header boundary", async () => {
    const bytes = nroWithAssets();
    for (const cut of [0, 0x4, 0x10, 0x14, 0x18, 0x20, 0x38, 0x40, 0x7f, 0x1000, 0x3fff, 0x4001, 0x4037]) {
      const error = await errorOf(parseNro(memorySource(bytes.subarray(0, cut), "cut.nro")));
      expect(error.code).toBe("format_invalid");
      expect(error.location.file).toBe("cut.nro");
    }
  });

  it("rejects a segment that runs past the declared size", async () => {
    const bytes = buildNro(segments);
    new DataView(bytes.buffer).setUint32(0x34, 0x2000, true);
    const error = await errorOf(parseNro(memorySource(bytes, "big.nro")));
    expect(error.location).toEqual({ file: "big.nro", keyPath: "header.segments.data", offset: 0x30 });
  });

  it("rejects an asset range outside the asset section", async () => {
    const bytes = nroWithAssets();
    new DataView(bytes.buffer).setBigUint64(0x4000 + 0x30, 0x100000n, true);
    const error = await errorOf(parseNro(memorySource(bytes, "assets.nro")));
    expect(error.location).toEqual({ file: "assets.nro", keyPath: "assets.romfs", offset: 0x4028 });
  });

  it("rejects trailing bytes that are not an asset section", async () => {
    const bytes = new Uint8Array([...buildNro(segments), ...new Uint8Array(0x40)]);
    const error = await errorOf(parseNro(memorySource(bytes, "tail.nro")));
    expect(error.location.keyPath).toBe("assets.magic");
  });
});
