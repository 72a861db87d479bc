import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { addressValue } from "../../src/config/common.js";
import { loadTomlFile, titleSchema } from "../../src/config/index.js";
import { nroLayout } from "../../src/formats/index.js";
import { buildDemoNro } from "../../scripts/demo/build-guest.js";
import { demoDir, demoPaths } from "../../scripts/demo/paths.js";
import { requireTools } from "../helpers/tools.js";

describe.runIf(requireTools("aarch64-linux-gnu-gcc"))("the committed demo NRO", () => {
  it("is byte-identical to a fresh build of samples/demo/src", async () => {
    const fresh = await buildDemoNro();
    const committed = await readFile(demoPaths.nro);
    expect(Buffer.compare(committed, Buffer.from(fresh.nro))).toBe(0);
    expect(committed.length).toBeLessThan(100 * 1024);
  });

  it("is a real NRO whose segments match title.toml's memory regions", async () => {
    const nro = await readFile(demoPaths.nro);
    expect(nro.subarray(nroLayout.magic, nroLayout.magic + 4).toString("latin1")).toBe("NRO0");
    expect(nro.readUInt32LE(nroLayout.size)).toBe(nro.length);
    const mod0 = nro.readUInt32LE(nroLayout.mod0Offset);
    expect(nro.subarray(mod0, mod0 + 4).toString("latin1")).toBe("MOD0");
    const { data: title } = await loadTomlFile(`${demoDir}/title.toml`, titleSchema, "title.toml");
    const regions = title.runtime?.memory_layout?.regions ?? [];
    const base = addressValue(regions[0].base);
    const bss = nro.readUInt32LE(nroLayout.bssSize);
    const segments = [0, 1, 2].map((i) => ({
      offset: nro.readUInt32LE(nroLayout.segments + i * 8),
      size: nro.readUInt32LE(nroLayout.segments + i * 8 + 4) + (i === 2 ? bss : 0),
    }));
    expect(regions.slice(0, 3).map((r) => [r.name, addressValue(r.base) - base, addressValue(r.size), r.permissions])).toEqual([
      ["text", BigInt(segments[0].offset), BigInt(segments[0].size), "r-x"],
      ["rodata", BigInt(segments[1].offset), BigInt(segments[1].size), "r--"],
      ["data", BigInt(segments[2].offset), BigInt(segments[2].size), "rw-"],
    ]);
  });
});
