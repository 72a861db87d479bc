// The demo title's NRO (built by the real AArch64 toolchain and elf2nro, committed in samples/)
// read by the homebrew parsers and taken through homebrew intake.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withFileSource } from "../../src/formats/byte-source.js";
import { parseNro, type NroInfo } from "../../src/formats/nro.js";
import { intakeHomebrew } from "../../src/intake/homebrew.js";
import { verifyProvenance } from "../../src/intake/provenance.js";
import { sha256File } from "../../src/util/hash.js";

const demoNro = resolve("samples/demo/demo.nro");

describe("the demo title's NRO", () => {
  let dir: string;
  let info: NroInfo;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "recomp-demo-nro-"));
    info = await withFileSource(demoNro, "demo.nro", parseNro);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("has contiguous page-aligned segments from 0, a build id and a MOD0 inside the image", () => {
    const [text, rodata, data] = info.segments;
    expect(text?.memoryOffset).toBe(0);
    expect(rodata?.memoryOffset).toBe((text?.memoryOffset ?? 0) + (text?.size ?? 0));
    expect(data?.memoryOffset).toBe((rodata?.memoryOffset ?? 0) + (rodata?.size ?? 0));
    expect(info.size).toBe((data?.memoryOffset ?? 0) + (data?.size ?? 0));
    expect(info.segments.every((s) => s.size % 0x1000 === 0)).toBe(true);
    expect(info.buildId).not.toBe("0".repeat(64));
    const mod0 = info.mod0;
    expect(mod0).toBeDefined();
    // bss starts inside .data's page-rounded size and ends inside the declared bss.
    expect(mod0?.bssStart).toBeGreaterThanOrEqual(data?.memoryOffset ?? 0);
    expect(mod0?.bssEnd).toBeLessThanOrEqual(info.size + info.bssSize);
    expect(mod0?.dynamicOffset).toBeGreaterThanOrEqual(data?.memoryOffset ?? 0);
    expect(mod0?.dynamicOffset).toBeLessThan(info.size);
  });

  it("goes through homebrew intake: text.bin is the NRO's first segment, byte for byte", async () => {
    const digest = await sha256File(demoNro);
    const provenance = join(dir, "provenance.toml");
    await writeFile(
      provenance,
      `schema_version = "1"\n[title]\nname = "recomp demo"\ntitle_id = "0100000000000000"\nversion = "1"\nregion = "none"\n` +
        `[collection]\ndevice = "built from samples/demo/src"\ncollected_at = "2026-11-21"\n[collection.tool]\nname = "recomp tools elf2nro"\nversion = "1"\n` +
        `[[inputs]]\npath = ${JSON.stringify(demoNro)}\nsha256 = "${digest.sha256}"\nsize = ${digest.size}\nformat = "nro0"\nrole = "homebrew_module"\n`,
    );
    const result = await intakeHomebrew({ nro: demoNro, nso: [], provenance: await verifyProvenance(provenance), outDir: join(dir, "intake"), assetsDir: join(dir, "assets") });
    const module = result.module.modules[0];
    expect(module?.name).toBe("demo");
    expect(module?.mod0?.offset).toBe(info.mod0?.offset);
    const nro = await readFile(demoNro);
    const text = await readFile(join(dir, "intake", "segments", "demo", "text.bin"));
    expect(Buffer.from(text).equals(nro.subarray(0, info.segments[0]?.size))).toBe(true);
    expect(result.assets).toEqual([]);
  });
});
