import { describe, expect, it } from "vitest";
import { memorySource } from "../../src/formats/byte-source.js";
import { loadNsoSegment, parseNso, parseNsoMod0 } from "../../src/formats/nso.js";
import { sha256Hex } from "../../src/util/hash.js";
import { errorOf } from "../helpers/errors.js";
import { buildNso } from "../fixtures/nso-build.js";
import { fixtureSegments } from "../fixtures/segments.js";

const segments = fixtureSegments({ text: 0x3100, rodata: 0x1200, data: 0x800, bss: 0x1000 }, 7);


async function loadAll(bytes: Uint8Array, label = "main.nso"): Promise<Uint8Array[]> {
  const source = memorySource(bytes, label);
  const info = await parseNso(source);
  return Promise.all(info.segments.map((segment) => loadNsoSegment(source, segment)));
}

describe("NSO", () => {
  const nso = buildNso({ ...segments, moduleName: "main", dynstr: { offset: 0x10, size: 0x20 }, dynsym: { offset: 0x40, size: 0x18 } });

  it("reads every header field at its real offset", async () => {
    const info = await parseNso(memorySource(nso, "main.nso"));
    expect(info.flags).toBe(0x3f);
    expect(info.moduleName).toBe("main");
    expect(info.bssSize).toBe(0x1000);
    expect(info.buildId).toBe(Buffer.from(segments.buildId).toString("hex") + "00".repeat(12));
    expect(info.dynstr).toEqual({ offset: 0x10, size: 0x20 });
    expect(info.dynsym).toEqual({ offset: 0x40, size: 0x18 });
    expect(info.apiInfo).toEqual({ offset: 0, size: 0 });
    expect(info.segments.map((s) => [s.name, s.memoryOffset, s.size, s.compressed, s.hashChecked, s.sha256])).toEqual([
      ["text", 0, 0x3100, true, true, sha256Hex(segments.text)],
      ["rodata", 0x4000, 0x1200, true, true, sha256Hex(segments.rodata)],
      ["data", 0x6000, 0x800, true, true, sha256Hex(segments.data)],
    ]);
    expect(info.segments[0]?.fileOffset).toBe(0x104);
    expect(info.segments[0]?.fileSize).toBeLessThan(0x3100);
  });

  it("decompresses segments to the original bytes and finds MOD0", async () => {
    const loaded = await loadAll(nso);
    expect(loaded.map((bytes) => sha256Hex(bytes))).toEqual([sha256Hex(segments.text), sha256Hex(segments.rodata), sha256Hex(segments.data)]);
    const info = await parseNso(memorySource(nso, "main.nso"));
    const mod0 = await parseNsoMod0("main.nso", info.segments.map((segment, i) => ({ info: segment, source: memorySource(loaded[i], segment.name) })));
    expect(mod0).toEqual({ ...segments.expectedMod0, moduleObjectOffset: 0x6040 });
  });

  it("reads uncompressed segments and honours per-segment flags", async () => {
    const mixed = buildNso({ ...segments, compress: [false, true, false], hashCheck: [true, false, false] });
    const info = await parseNso(memorySource(mixed, "mixed.nso"));
    expect(info.flags).toBe(0b001010);
    expect((await loadAll(mixed)).map((b) => b.length)).toEqual([0x3100, 0x1200, 0x800]);
  });

  it("rejects a segment whose SHA-256 does not match when the check flag is set", async () => {
    const bytes = buildNso({ ...segments, compress: [false, false, false] });
    const dataAt = new DataView(bytes.buffer).getUint32(0x30, true);
    bytes[dataAt + 5] ^= 0xff;
    const error = await errorOf(loadAll(bytes, "tampered.nso"));
    expect(error.location).toEqual({ file: "tampered.nso", keyPath: "header.data_hash", offset: 0xe0 });
  });

  it("ignores a wrong hash when the check flag is clear", async () => {
    const bytes = buildNso({ ...segments, compress: [false, false, false], hashCheck: [true, true, false] });
    const dataAt = new DataView(bytes.buffer).getUint32(0x30, true);
    bytes[dataAt + 5] ^= 0xff;
    expect((await loadAll(bytes))[2]?.[5]).toBe(segments.data[5] ^ 0xff);
  });

  it("rejects a wrong magic and a truncation at every header boundary", async () => {
    const bad = Uint8Array.from(nso);
    bad[0] = 0x4d;
    expect((await errorOf(parseNso(memorySource(bad, "bad.nso")))).location).toEqual({ file: "bad.nso", keyPath: "header.magic", offset: 0 });
    for (const cut of [0, 4, 0xc, 0x10, 0x40, 0x60, 0x88, 0xa0, 0xe0, 0xff, 0x100, nso.length - 1]) {
      const error = await errorOf(loadAll(nso.subarray(0, cut), "cut.nso"));
      expect(error.code).toBe("format_invalid");
    }
  });

  it("rejects a segment whose stored range runs past the end", async () => {
    const bytes = Uint8Array.from(nso);
    new DataView(bytes.buffer).setUint32(0x64, 0x100000, true);
    const error = await errorOf(parseNso(memorySource(bytes, "long.nso")));
    expect(error.location).toEqual({ file: "long.nso", keyPath: "header.rodata_file_size", offset: 0x64 });
  });

  it("rejects an LZ4 stream that overruns its segment", async () => {
    const bytes = Uint8Array.from(nso);
    new DataView(bytes.buffer).setUint32(0x18, 0x3000, true); // text declared shorter than it expands
    const error = await errorOf(loadAll(bytes, "overrun.nso"));
    expect(error.message).toMatch(/overruns the 0x3000-byte output/);
    expect(error.location.keyPath).toBe("segments.text");
  });

  it("rejects overlapping segments", async () => {
    const bytes = Uint8Array.from(nso);
    new DataView(bytes.buffer).setUint32(0x24, 0x1000, true);
    const error = await errorOf(parseNso(memorySource(bytes, "overlap.nso")));
    expect(error.location).toEqual({ file: "overlap.nso", keyPath: "header.segments.rodata", offset: 0x24 });
  });
});
