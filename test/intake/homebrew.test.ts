import { execa } from "execa";
import { mkdtemp, readFile, readdir, rm, stat, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { intakeManifestSchema, intakeModuleSchema } from "../../src/config/intake-module.js";
import { intakeHomebrew } from "../../src/intake/homebrew.js";
import { verifyProvenance, type VerifiedProvenance } from "../../src/intake/provenance.js";
import { main } from "../../src/cli/main.js";
import { RecompError, RecompErrorList, asRecompErrors } from "../../src/util/errors.js";
import { sha256Hex } from "../../src/util/hash.js";
import { fixtureSegments } from "../fixtures/segments.js";
import { writeHomebrewFixture, type HomebrewFixture } from "../fixtures/homebrew-fixture.js";
import { buildNso } from "../fixtures/nso-build.js";
import { buildNro } from "../../src/formats/nro-build.js";
import { romfsLayout } from "../../src/formats/romfs-layout.js";
import { buildRomfs } from "../../src/formats/testing/index.js";

let root: string;
let fixture: HomebrewFixture;
let provenance: VerifiedProvenance;

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out.push(relative(dir, path).split("\\").join("/"));
    }
  };
  await walk(dir);
  return out.sort();
}

async function snapshot(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const file of await listFiles(dir)) result[file] = sha256Hex(await readFile(join(dir, file)));
  return result;
}

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

async function errorsOf(promise: Promise<unknown>): Promise<RecompError[]> {
  const thrown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(thrown instanceof RecompError || thrown instanceof RecompErrorList).toBe(true);
  return asRecompErrors(thrown);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "recomp-intake-"));
  fixture = await writeHomebrewFixture(join(root, "title"));
  provenance = await verifyProvenance(fixture.provenance);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("homebrew intake", () => {
  it("writes segments, module.json, manifest.json and the assets apart", async () => {
    const outDir = join(root, "run1", "intake");
    const assetsDir = join(root, "assets1");
    const result = await intakeHomebrew({ nro: fixture.nro, nso: [fixture.nso], provenance, outDir, assetsDir });

    expect(await listFiles(outDir)).toEqual([
      "manifest.json",
      "module.json",
      "segments/app/data.bin",
      "segments/app/rodata.bin",
      "segments/app/text.bin",
      "segments/main/data.bin",
      "segments/main/rodata.bin",
      "segments/main/text.bin",
    ]);
    expect(await listFiles(assetsDir)).toEqual([".recomp-assets", "control.nacp", "icon.jpg", "romfs/data/level1.bin", "romfs/data/text/hello.txt", "romfs/readme.txt"]);

    // NSO segments are stored decompressed, byte for byte.
    const nsoSegments = fixtureSegments({ text: 0x5000, rodata: 0x1800, data: 0x900, bss: 0x2000 }, 11);
    expect(Buffer.from(await readFile(join(outDir, "segments/main/text.bin"))).equals(Buffer.from(nsoSegments.text))).toBe(true);
    expect(Buffer.from(await readFile(join(outDir, "segments/main/data.bin"))).equals(Buffer.from(nsoSegments.data))).toBe(true);
    for (const file of fixture.romfsFiles) {
      expect(Buffer.from(await readFile(join(assetsDir, "romfs", file.path))).equals(Buffer.from(file.data))).toBe(true);
    }
    expect(Buffer.from(await readFile(join(assetsDir, "control.nacp"))).equals(Buffer.from(fixture.nacp))).toBe(true);

    const moduleJson = intakeModuleSchema.parse(JSON.parse(await readFile(join(outDir, "module.json"), "utf8")));
    expect(moduleJson.modules.map((m) => [m.name, m.format, m.input.path])).toEqual([
      ["app", "nro", "app.nro"],
      ["main", "nso", "main.nso"],
    ]);
    const main = moduleJson.modules[1];
    expect(main?.segments.map((s) => [s.name, s.file, s.memory_offset, s.size, s.compressed, s.permissions])).toEqual([
      ["text", "segments/main/text.bin", 0, 0x5000, true, "r-x"],
      ["rodata", "segments/main/rodata.bin", 0x5000, 0x1800, true, "r--"],
      ["data", "segments/main/data.bin", 0x7000, 0x900, true, "rw-"],
    ]);
    expect(main?.bss).toEqual({ memory_offset: 0x7900, size: 0x2000 });
    expect(main?.mod0).toEqual({
      offset: 0x80,
      dynamic_offset: 0x7010,
      bss_start: 0x7900,
      bss_end: 0x9900,
      eh_frame_hdr_start: 0x5020,
      eh_frame_hdr_end: 0x5020,
      module_object_offset: 0x7040,
    });

    const manifest = intakeManifestSchema.parse(JSON.parse(await readFile(join(outDir, "manifest.json"), "utf8")));
    expect(manifest).toEqual(result.manifest);
    expect(manifest.inputs.map((i) => [i.path, i.format])).toEqual([
      ["app.nro", "nro0"],
      ["main.nso", "nso0"],
    ]);
    const onDisk = await snapshot(outDir);
    for (const file of manifest.files) expect(onDisk[file.path]).toBe(file.sha256);
    const assetsOnDisk = await snapshot(assetsDir);
    expect(manifest.assets.map((a) => a.path)).toEqual(Object.keys(assetsOnDisk).filter((p) => p !== ".recomp-assets"));
    for (const asset of manifest.assets) expect(assetsOnDisk[asset.path]).toBe(asset.sha256);
    expect(await readFile(join(outDir, "manifest.json"), "utf8")).not.toContain(root);
    expect(await readFile(join(outDir, "module.json"), "utf8")).not.toContain(root);
  });

  it("gives byte-identical output on a second run and in another folder", async () => {
    const run = async (name: string): Promise<Record<string, string>> => {
      const outDir = join(root, name, "intake");
      const assetsDir = join(root, name, "..", `${name}-assets`);
      await intakeHomebrew({ nro: fixture.nro, nso: [fixture.nso], provenance, outDir, assetsDir });
      return { ...(await snapshot(outDir)), ...Object.fromEntries(Object.entries(await snapshot(assetsDir)).map(([k, v]) => [`assets/${k}`, v])) };
    };
    const first = await run("again");
    const second = await run("again");
    const elsewhere = await run("elsewhere");
    expect(second).toEqual(first);
    expect(elsewhere).toEqual(first);
  });

  it("refuses an input that provenance does not list, and writes nothing", async () => {
    const stray = join(root, "stray.nso");
    await writeFile(stray, await readFile(fixture.nso));
    const outDir = join(root, "stray-out");
    const errors = await errorsOf(intakeHomebrew({ nso: [stray], provenance, outDir, assetsDir: join(root, "stray-assets") }));
    expect(errors.map((e) => e.code)).toEqual(["input_mismatch"]);
    expect(errors[0]?.message).toMatch(/not listed in provenance/);
    expect(await exists(outDir)).toBe(false);
  });

  it("refuses an assets root inside the intake folder, and the reverse", async () => {
    const outDir = join(root, "nested");
    for (const [out, assets] of [
      [outDir, join(outDir, "assets")],
      [join(root, "nested2", "intake"), join(root, "nested2")],
    ] as const) {
      const errors = await errorsOf(intakeHomebrew({ nro: fixture.nro, nso: [], provenance, outDir: out, assetsDir: assets }));
      expect(errors.map((e) => [e.code, e.exitCode])).toEqual([["asset_separation", 2]]);
      expect(await exists(out)).toBe(false);
    }
  });

  it("refuses an assets root inside a git work tree", async () => {
    const repo = join(root, "repo");
    await mkdir(repo);
    await execa("git", ["init", "-q", repo]);
    const errors = await errorsOf(intakeHomebrew({ nro: fixture.nro, nso: [], provenance, outDir: join(root, "git-out"), assetsDir: join(repo, "assets") }));
    expect(errors.map((e) => e.code)).toEqual(["asset_separation"]);
    expect(errors[0]?.message).toMatch(/inside the git work tree/);
  });

  it("refuses two modules with the same file stem", async () => {
    const other = await writeHomebrewFixture(join(root, "same-stem"), { nsoName: "app.nso" });
    const verified = await verifyProvenance(other.provenance);
    const errors = await errorsOf(intakeHomebrew({ nro: other.nro, nso: [other.nso], provenance: verified, outDir: join(root, "stem-out"), assetsDir: join(root, "stem-assets") }));
    expect(errors.map((e) => e.code)).toEqual(["usage"]);
    expect(errors[0]?.message).toMatch(/same file stem "app"/);
    expect(await exists(join(root, "stem-out"))).toBe(false);
  });

  it("reports a corrupt module listed in provenance as a typed error and writes nothing", async () => {
    const dir = join(root, "corrupt");
    const bad = await writeHomebrewFixture(dir);
    const bytes = buildNso({ ...fixtureSegments({ text: 0x5000, rodata: 0x1800, data: 0x900, bss: 0x2000 }, 11) });
    new DataView(bytes.buffer).setUint32(0x18, 0x4000, true); // .text expands past its declared size
    await writeFile(bad.nso, bytes);
    const toml = (await readFile(bad.provenance, "utf8")).replace(/(path = "main.nso"\nsha256 = ")[0-9a-f]+("\nsize = )\d+/, `$1${sha256Hex(bytes)}$2${bytes.length}`);
    await writeFile(bad.provenance, toml);
    const outDir = join(root, "corrupt-out");
    const assetsDir = join(root, "corrupt-assets");
    const errors = await errorsOf(intakeHomebrew({ nro: bad.nro, nso: [bad.nso], provenance: await verifyProvenance(bad.provenance), outDir, assetsDir }));
    expect(errors.map((e) => [e.code, e.location.file, e.location.keyPath])).toEqual([["format_invalid", "main.nso", "segments.text"]]);
    expect(await exists(outDir)).toBe(false);
    expect(await exists(assetsDir)).toBe(false);
  });

  it("refuses a segment whose SHA-256 differs from the header after it was staged, and leaves no staging folder", async () => {
    const dir = join(root, "bad-hash");
    const bad = await writeHomebrewFixture(dir);
    const bytes = buildNso({ ...fixtureSegments({ text: 0x5000, rodata: 0x1800, data: 0x900, bss: 0x2000 }, 12) });
    expect(bytes[0xc] & 0x38).toBe(0x38); // every segment is hash-checked
    bytes[0xc0] ^= 0xff; // the .rodata hash
    await writeFile(bad.nso, bytes);
    const toml = (await readFile(bad.provenance, "utf8")).replace(/(path = "main.nso"\nsha256 = ")[0-9a-f]+("\nsize = )\d+/, `$1${sha256Hex(bytes)}$2${bytes.length}`);
    await writeFile(bad.provenance, toml);
    const outDir = join(root, "bad-hash-out");
    const assetsDir = join(root, "bad-hash-assets");
    const before = (await readdir(root)).sort();
    const errors = await errorsOf(intakeHomebrew({ nro: bad.nro, nso: [bad.nso], provenance: await verifyProvenance(bad.provenance), outDir, assetsDir }));
    expect(errors.map((e) => [e.code, e.location.file, e.location.keyPath, e.location.offset])).toEqual([["format_invalid", "main.nso", "header.rodata_hash", 0xc0]]);
    expect((await readdir(root)).sort()).toEqual(before);
  });

  it("refuses an NRO whose NACP has the wrong size or whose RomFS names `..`, and writes nothing", async () => {
    const segments = fixtureSegments({ text: 0x1000, rodata: 0x1000, data: 0x1000, bss: 0 }, 2);
    const romfs = buildRomfs([{ path: "ab", data: Buffer.from("x") }]);
    const fileTable = Number(new DataView(romfs.buffer).getBigUint64(romfsLayout.fileTable, true));
    romfs.set(Buffer.from(".."), fileTable + romfsLayout.fileEntryHeader);
    const cases = [
      { name: "short-nacp", assets: { nacp: new Uint8Array(0x3000) }, problem: /a NACP is 0x4000 bytes, this is 0x3000/ },
      { name: "dotdot", assets: { romfs }, problem: /name "\.\." is a relative path component/ },
    ];
    for (const { name, assets, problem } of cases) {
      const dir = join(root, name);
      await mkdir(dir);
      const nro = join(dir, "bad.nro");
      const bytes = buildNro({ ...segments, assets });
      await writeFile(nro, bytes);
      await writeFile(
        join(dir, "provenance.toml"),
        (await readFile(fixture.provenance, "utf8")).split("[[inputs]]")[0] +
          `[[inputs]]\npath = "bad.nro"\nsha256 = "${sha256Hex(bytes)}"\nsize = ${bytes.length}\nformat = "nro0"\nrole = "homebrew_module"\n`,
      );
      const outDir = join(dir, "out");
      const assetsDir = join(root, `${name}-assets`);
      const errors = await errorsOf(intakeHomebrew({ nro, nso: [], provenance: await verifyProvenance(join(dir, "provenance.toml")), outDir, assetsDir }));
      expect(errors.map((e) => e.code)).toEqual(["format_invalid"]);
      expect(errors[0]?.message).toMatch(problem);
      expect(await exists(outDir)).toBe(false);
      expect(await exists(assetsDir)).toBe(false);
    }
  });

  it("never replaces a non-empty folder it did not write", async () => {
    const outDir = join(root, "users-folder");
    await mkdir(outDir);
    await writeFile(join(outDir, "precious.txt"), "keep me");
    const errors = await errorsOf(intakeHomebrew({ nro: fixture.nro, nso: [], provenance, outDir, assetsDir: join(root, "uf-assets") }));
    expect(errors.map((e) => e.code)).toEqual(["asset_separation"]);
    expect(await readFile(join(outDir, "precious.txt"), "utf8")).toBe("keep me");
  });
});

describe("recomp intake homebrew (CLI)", () => {
  it("exits 0 on success and 2 when an input's hash does not match provenance", async () => {
    const dir = join(root, "cli");
    const cli = await writeHomebrewFixture(dir);
    const args = ["--nro", cli.nro, "--nso", cli.nso, "--provenance", cli.provenance, "--out-dir", join(dir, "out"), "--assets-dir", join(root, "cli-assets")];
    expect(await main(["node", "recomp", "intake", "homebrew", ...args])).toBe(0);
    const bytes = await readFile(cli.nso);
    bytes[bytes.length - 1] ^= 1;
    await writeFile(cli.nso, bytes);
    const outDir2 = join(dir, "out2");
    args[args.indexOf(join(dir, "out"))] = outDir2;
    expect(await main(["node", "recomp", "intake", "homebrew", ...args])).toBe(2);
    expect(await exists(outDir2)).toBe(false);
  });
});
