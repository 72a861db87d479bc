// Image structure: key-area prefix, NCA2, program selection, and every kind of bad input giving a
// typed error with nothing written.
import { access, readFile, rm, stat, truncate } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildRomfs } from "../../src/formats/testing/romfs-build.js";
import { intakeXci, type IntakeXciOptions } from "../../src/intake/xci-intake.js";
import { type RecompError, asRecompErrors } from "../../src/util/errors.js";
import { sha256Hex } from "../../src/util/hash.js";
import { fixtureProgram, rerecordProvenance, useXciCases, type XciCase } from "../fixtures/xci-case.js";
import { locateNca, patchNcaHeader, writeAt, xorByte } from "../fixtures/xci-patch.js";

const newCase = useXciCases();

function options(made: XciCase, extra: Partial<IntakeXciOptions> = {}): IntakeXciOptions {
  return { xci: made.xci, keys: made.keys, provenance: made.provenance, outDir: made.outDir, assetsDir: made.assetsDir, ...extra };
}

async function intakeError(made: XciCase, extra: Partial<IntakeXciOptions> = {}): Promise<RecompError> {
  const error: unknown = await intakeXci(options(made, extra)).then(
    () => new Error("intake succeeded; an error was expected"),
    (thrown: unknown) => thrown,
  );
  const [first] = asRecompErrors(error);
  if (first === undefined) throw error;
  await expect(access(made.outDir)).rejects.toThrow();
  await expect(access(join(made.assetsDir, "romfs"))).rejects.toThrow();
  return first;
}

describe("XCI image variants", () => {
  it("reads an image with the 0x1000-byte card key area in front", async () => {
    const made = await newCase({ keyAreaPrefix: true });
    const { manifest } = await intakeXci(options(made));
    const main = fixtureProgram().exefs.find((file) => file.name === "main");
    expect(sha256Hex(await readFile(join(made.outDir, "exefs", "main")))).toBe(sha256Hex(main?.data ?? new Uint8Array()));
    expect(manifest.assets).toHaveLength(2);
  });

  it("reads NCA2 headers (section headers encrypted as sector 0)", async () => {
    const made = await newCase({ magic: "NCA2" });
    const { manifest } = await intakeXci(options(made));
    expect(manifest.program?.nca_magic).toBe("NCA2");
  });

  it("gives byte-identical output on a second run", async () => {
    const made = await newCase();
    await intakeXci(options(made));
    const first = await readFile(join(made.outDir, "manifest.json"), "utf8");
    await intakeXci(options(made));
    expect(await readFile(join(made.outDir, "manifest.json"), "utf8")).toBe(first);
    expect(first).not.toContain(made.dir);
  });
});

describe("program selection", () => {
  it("lists the candidates when two programs are ambiguous, then takes the one title.toml names", async () => {
    const made = await newCase({ programs: [fixtureProgram(), fixtureProgram({ titleId: "0100000000cd0000" }, 7)] });
    const error = await intakeError(made, { titleFile: "title.toml" });
    expect(error.code).toBe("input_mismatch");
    expect(error.message).toContain("2 program NCAs match");
    expect(error.message).toContain("title id 0100000000ab0000, version 0, program");
    expect(error.message).toContain("title id 0100000000cd0000, version 0, program");
    expect(error.location).toEqual({ file: "title.toml", keyPath: "program_title_id" });
    const { manifest } = await intakeXci(options(made, { choice: { programTitleId: "0x0100000000CD0000" } }));
    expect(manifest.program?.title_id).toBe("0100000000cd0000");
  });

  it("tells two versions of one title apart by program_version", async () => {
    const made = await newCase({ programs: [fixtureProgram(), fixtureProgram({ version: 65536 }, 9)] });
    const error = await intakeError(made, { choice: { programVersion: 3 } });
    expect(error.message).toMatch(/^no program NCA matches program_version 3; candidates:/);
    const { manifest } = await intakeXci(options(made, { choice: { programTitleId: "0100000000ab0000", programVersion: 65536 } }));
    expect(manifest.program?.version).toBe(65536);
  });
});

describe("bad input: typed errors, nothing written", () => {
  it("a corrupted ExeFS section fails its SHA-256 check", async () => {
    const made = await newCase();
    const nca = await locateNca(made.xci, made.programNcas[0] ?? "");
    const exefs = nca.header.sections[0];
    await xorByte(made.xci, nca.offset + (exefs?.start ?? 0) + (exefs?.sha256Layers?.data.offset ?? 0) + 0x180);
    await rerecordProvenance(made);
    const error = await intakeError(made);
    expect(error.code).toBe("format_invalid");
    expect(error.message).toBe("section data: block 0 does not match its SHA-256");
  });

  it("a corrupted RomFS fails the IVFC check under --verify", async () => {
    const made = await newCase();
    const nca = await locateNca(made.xci, made.programNcas[0] ?? "");
    const romfs = nca.header.sections[1];
    const level = romfs?.ivfc?.levels.at(-1);
    await xorByte(made.xci, nca.offset + (romfs?.start ?? 0) + (level?.offset ?? 0) + 0x1000);
    await rerecordProvenance(made);
    const error = await intakeError(made, { verify: true });
    expect(error.message).toBe("section data: IVFC level 6 block 0 does not match its SHA-256");
  });

  it("a changed NCA fails its HFS0 entry hash under --verify", async () => {
    const made = await newCase();
    const nca = await locateNca(made.xci, made.programNcas[0] ?? "");
    await xorByte(made.xci, nca.offset + 0x10); // the unchecked RSA signature: only the HFS0 hash sees it
    await rerecordProvenance(made);
    await intakeXci(options(made));
    await rm(made.outDir, { recursive: true });
    await rm(join(made.assetsDir, "romfs"), { recursive: true });
    const error = await intakeError(made, { verify: true });
    expect(error.message).toBe(`secure/${made.programNcas[0] ?? ""}: SHA-256 of its first 0x200 bytes does not match the HFS0 entry`);
  });

  it("a truncated image", async () => {
    const made = await newCase();
    const { size } = await stat(made.xci);
    await truncate(made.xci, Math.floor(size * 0.6));
    await rerecordProvenance(made);
    const error = await intakeError(made);
    expect(error.code).toBe("format_invalid");
    expect(error.message).toMatch(/lies past the end/);
  });

  it("a root partition offset past the end, and one that points at the wrong bytes", async () => {
    const made = await newCase();
    const offset = Buffer.alloc(8);
    offset.writeBigUInt64LE(0x7fff_0000n);
    await writeAt(made.xci, 0x130, offset);
    await rerecordProvenance(made);
    expect((await intakeError(made)).message).toMatch(/^XCI root HFS0 \(0x7fff0000\+0x[0-9a-f]+\) lies past the end of the image/);
    offset.writeBigUInt64LE(0xf200n);
    await writeAt(made.xci, 0x130, offset);
    await rerecordProvenance(made);
    expect((await intakeError(made)).message).toBe("XCI root HFS0 header does not match the SHA-256 in the card header");
  });

  it("a section range past the end of the NCA", async () => {
    const made = await newCase();
    const nca = await locateNca(made.xci, made.programNcas[0] ?? "");
    await patchNcaHeader(made.xci, nca.offset, (header) => header.writeUInt32LE(0x00ff_0000, 0x244 + 0x10));
    await rerecordProvenance(made);
    const error = await intakeError(made);
    expect(error.message).toMatch(/^NCA header: section 1 \(0x[0-9a-f]+-0x1fe000000\) lies past the end of the NCA/);
  });

  it("an update-patch (BKTR) section is rejected with a clear message", async () => {
    const made = await newCase();
    const nca = await locateNca(made.xci, made.programNcas[0] ?? "");
    await patchNcaHeader(made.xci, nca.offset, (header) => header.writeUInt8(1, 0x600 + 0x100));
    await rerecordProvenance(made);
    const error = await intakeError(made);
    expect(error.code).toBe("format_unsupported");
    expect(error.message).toMatch(/section 1 uses an update patch \(BKTR, PatchInfo\), which recomp does not read$/);
  });

  it("a RomFS name escaping the assets root", async () => {
    const romfs = Buffer.from(buildRomfs([{ path: "zz", data: Buffer.from("escape") }]));
    const at = romfs.indexOf("zz");
    romfs.write("..", at, "latin1");
    const made = await newCase({ programs: [fixtureProgram({ romfs })] });
    const error = await intakeError(made);
    expect(error.code).toBe("format_invalid");
    expect(error.message).toContain('name ".." is a relative path component');
    await expect(access(join(made.assetsDir, "escape"))).rejects.toThrow();
  });
});
