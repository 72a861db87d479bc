// Keys: every missing key is named exactly, a wrong key is detected and said so, rights-id titles
// use title.keys; and no key value ever reaches an error message.
import { access, readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { fakeProdKeys } from "../../src/formats/testing/xci-fixture.js";
import { intakeXci } from "../../src/intake/xci-intake.js";
import { type RecompError, asRecompErrors, formatError } from "../../src/util/errors.js";
import { fakeKeyValues, fixtureProgram, rerecordProvenance, useXciCases, type XciCase } from "../fixtures/xci-case.js";

const newCase = useXciCases();

const keyValues = fakeKeyValues();

async function intakeError(made: XciCase, extra: Partial<Parameters<typeof intakeXci>[0]> = {}): Promise<RecompError> {
  try {
    await intakeXci({ xci: made.xci, keys: made.keys, provenance: made.provenance, outDir: made.outDir, assetsDir: made.assetsDir, ...extra });
  } catch (error) {
    const [first] = asRecompErrors(error);
    if (first === undefined) throw error;
    const text = formatError(first);
    for (const value of keyValues) expect(text.toLowerCase()).not.toContain(value.toLowerCase());
    // Nothing half-written: neither the intake folder nor the RomFS folder exists.
    await expect(access(made.outDir)).rejects.toThrow();
    await expect(access(`${made.assetsDir}/romfs`)).rejects.toThrow();
    return first;
  }
  throw new Error("intake succeeded; an error was expected");
}

async function editKeys(made: XciCase, edit: (text: string) => string, file = made.keys, inputs?: string[]): Promise<void> {
  await writeFile(file, edit(await readFile(file, "utf8")));
  await rerecordProvenance(made, inputs);
}

const dropLine = (name: string) => (text: string) =>
  text
    .split("\n")
    .filter((line) => !line.startsWith(`${name} `))
    .join("\n");

const replaceValue = (name: string, value: string) => (text: string) =>
  text
    .split("\n")
    .map((line) => (line.startsWith(`${name} `) ? `${name} = ${value}` : line))
    .join("\n");

describe("XCI intake keys", () => {
  it.each([
    ["header_key", 0, 0],
    ["key_area_key_application_00", 0, 0],
    ["key_area_key_application_0a", 0x0a, 0],
    ["key_area_key_ocean_03", 3, 1],
    ["key_area_key_system_0f", 0x0f, 2],
  ])("names a missing %s exactly", async (name, keyGeneration, keyAreaIndex) => {
    const made = await newCase({ keyGeneration, keyAreaIndex });
    await editKeys(made, dropLine(name));
    const error = await intakeError(made);
    expect(error.code).toBe("input_missing");
    expect(error.message).toBe(`${name} missing from prod.keys`);
  });

  it("detects a wrong header_key", async () => {
    const made = await newCase();
    await editKeys(made, replaceValue("header_key", "33".repeat(16) + "44".repeat(16)));
    const error = await intakeError(made);
    expect(error.code).toBe("input_mismatch");
    expect(error.message).toMatch(/header_key from .*prod\.keys does not decrypt this NCA header/);
  });

  it("detects a wrong key-area key", async () => {
    const made = await newCase();
    await editKeys(made, replaceValue("key_area_key_application_00", "55".repeat(16)));
    const error = await intakeError(made);
    expect(error.code).toBe("input_mismatch");
    expect(error.message).toMatch(/section 0 does not decrypt to a PFS0: key_area_key_application_00 from prod\.keys is wrong$/);
  });

  describe("a title with a rights id", () => {
    const rightsId = "0100000000ab00000000000000000000";
    const programs = () => [fixtureProgram({ rightsId })];

    it("decrypts with the title key from title.keys", async () => {
      const made = await newCase({ programs: programs() });
      const { manifest } = await intakeXci({ xci: made.xci, keys: made.keys, titleKeys: made.titleKeys, provenance: made.provenance, outDir: made.outDir, assetsDir: made.assetsDir });
      expect(manifest.program?.rights_id).toBe(rightsId);
      expect(manifest.program?.exefs).toEqual(["main", "main.npdm", "subsdk0"]);
      expect(manifest.inputs.map((input) => input.path)).toEqual(["game.xci", "prod.keys", "title.keys"]);
    });

    it("asks for title.keys when none is given", async () => {
      const made = await newCase({ programs: programs() });
      const error = await intakeError(made);
      expect(error.message).toBe(`the program NCA has rights id ${rightsId} and needs its title key`);
    });

    it("names a missing titlekek and a missing title key", async () => {
      const made = await newCase({ programs: programs() });
      const all = [made.xci, made.keys, made.titleKeys];
      await editKeys(made, dropLine("titlekek_00"), made.keys, all);
      expect((await intakeError(made, { titleKeys: made.titleKeys })).message).toBe("titlekek_00 missing from prod.keys");
      await writeFile(made.keys, fakeProdKeys());
      await writeFile(made.titleKeys, `${"ff".repeat(16)} = ${"00".repeat(16)}\n`);
      await rerecordProvenance(made, all);
      expect((await intakeError(made, { titleKeys: made.titleKeys })).message).toBe(`${rightsId} missing from title.keys`);
    });

    it("detects a wrong title key", async () => {
      const made = await newCase({ programs: programs() });
      await editKeys(made, () => `${rightsId} = ${"66".repeat(16)}\n`, made.titleKeys, [made.xci, made.keys, made.titleKeys]);
      const error = await intakeError(made, { titleKeys: made.titleKeys });
      expect(error.message).toMatch(/does not decrypt to a PFS0: the title key of rights id 0100000000ab00000000000000000000 in title\.keys \(with titlekek_00\) is wrong$/);
    });
  });
});
