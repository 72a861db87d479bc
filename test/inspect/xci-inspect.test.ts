// recomp inspect for XCI, NCA (with keys), HFS0 and PFS0 files.
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseKeyset } from "../../src/formats/keyset.js";
import { buildPartitionFs } from "../../src/formats/partition-fs-writer.js";
import { fakeProdKeys } from "../../src/formats/testing/xci-fixture.js";
import { inspectFile } from "../../src/inspect/handlers.js";
import { renderReport } from "../../src/inspect/report.js";
import { canonicalJsonPretty } from "../../src/util/canonical-json.js";
import { fakeKeyValues, makeXciCase, type XciCase } from "../fixtures/xci-case.js";

let made: XciCase;
const keys = parseKeyset(fakeProdKeys(), "prod.keys");
const keyHex = fakeKeyValues();

beforeAll(async () => {
  made = await makeXciCase();
});
afterAll(async () => {
  await rm(made.dir, { recursive: true, force: true });
});

function expectNoKeys(text: string): void {
  for (const value of keyHex) expect(text).not.toContain(value);
}

describe("recomp inspect (XCI family)", () => {
  it("shows the card header and partitions, and with keys the NCAs and the program", async () => {
    const bare = await inspectFile(made.xci, "game.xci");
    expect(bare.format).toBe("xci");
    expect(bare.sections.map((s) => s.title)).toEqual(["card header", "partition update", "partition normal", "partition secure"]);
    const keyed = await inspectFile(made.xci, "game.xci", undefined, { keys });
    const programs = keyed.sections.find((s) => s.title === "programs");
    expect(programs?.rows).toEqual([[made.programNcas[0], "title id 0100000000ab0000, version 0"]]);
    const text = renderReport("game.xci", keyed) + canonicalJsonPretty(keyed.data);
    expect(text).toContain("content type       program");
    expectNoKeys(text);
  });

  it("lists an NCA's ExeFS and RomFS with keys, and asks for keys without", async () => {
    const nca = join(made.dir, "inputs", "nca-work", made.programNcas[0] ?? "");
    await expect(inspectFile(nca, "program.nca")).rejects.toThrow("program.nca is encrypted; its header is readable only with your keys");
    const report = await inspectFile(nca, "program.nca", undefined, { keys });
    expect(report.format).toBe("nca");
    expect(report.sections.find((s) => s.title === "section 0 PFS0")?.rows.map(([name]) => name)).toEqual(["main", "main.npdm", "subsdk0"]);
    expect(report.sections.find((s) => s.title === "section 1 RomFS")?.rows.slice(0, 2)).toEqual([
      ["directories", "1"],
      ["files", "2 (0x1396 bytes)"],
    ]);
    expectNoKeys(canonicalJsonPretty(report.data));
  });

  it("lists PFS0 and HFS0 files", async () => {
    const pfs0 = join(made.dir, "exefs.pfs0");
    await writeFile(pfs0, buildPartitionFs("PFS0", [{ name: "main", data: Buffer.alloc(0x40) }]));
    expect((await inspectFile(pfs0, "exefs.pfs0")).sections[0]?.rows).toEqual([["main", "0x40..0x80 (0x40 bytes)"]]);
    const hfs0 = join(made.dir, "part.hfs0");
    await writeFile(hfs0, buildPartitionFs("HFS0", [{ name: "a.nca", data: Buffer.alloc(0x10) }]));
    const report = await inspectFile(hfs0, "part.hfs0");
    expect(report.format).toBe("hfs0");
    expect(report.sections[0]?.rows[0]?.[1]).toBe("0x60..0x70 (0x10 bytes) sha256(first 0x10) 374708fff7719dd5979ec875d56cd2286f6d3cf7ec317a3b25632aab28ec37bb");
  });
});
