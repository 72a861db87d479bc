import { mkdtemp, rm, writeFile, readFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyProvenance } from "../../src/intake/provenance.js";
import { writeProvenance } from "../../src/intake/provenance-init.js";
import { detectFormat } from "../../src/formats/detect.js";
import type { RecompErrorList} from "../../src/util/errors.js";
import { formatError } from "../../src/util/errors.js";
import { assertNotInside, assertUntracked, assertOutsideGitWorkTree } from "../../src/intake/asset-separation.js";
import { execa } from "execa";
import { testProvenanceIdentity } from "../helpers/provenance.js";

let dir: string;

function magicFile(magic: string, offset: number, size: number): Buffer {
  const bytes = Buffer.alloc(size);
  bytes.write(magic, offset, "latin1");
  return bytes;
}

const identity = testProvenanceIdentity;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "recomp-provenance-"));
  await writeFile(join(dir, "game.nro"), magicFile("NRO0", 0x10, 0x200));
  await writeFile(join(dir, "main.nso"), magicFile("NSO0", 0, 0x100));
  await writeFile(join(dir, "exefs.pfs0"), magicFile("PFS0", 0, 0x40));
  await writeFile(join(dir, "card.xci"), magicFile("HEAD", 0x100, 0x400));
  await writeFile(join(dir, "card-keyarea.xci"), magicFile("HEAD", 0x1100, 0x1400));
  await writeFile(join(dir, "main.npdm"), magicFile("META", 0, 0x80));
  await writeFile(join(dir, "clip.mp4"), magicFile("ftyp", 4, 0x40));
  await writeFile(join(dir, "test.keys"), "# obviously fake test keys\nheader_key = " + "ab".repeat(32) + "\nkey_area_key_application_00 = " + "cd".repeat(16) + "\n");
  await writeFile(join(dir, "module.json"), JSON.stringify({ arch: "aarch64", segments: [], functions: [] }));
  await writeFile(join(dir, "program.nca"), Buffer.alloc(0xc00, 0x5a));
  await writeFile(join(dir, "tiny.bin"), Buffer.alloc(16));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("format detection from content", () => {
  it.each([
    ["game.nro", "nro0"],
    ["main.nso", "nso0"],
    ["exefs.pfs0", "exefs"],
    ["card.xci", "xci"],
    ["card-keyarea.xci", "xci"],
    ["main.npdm", "npdm"],
    ["clip.mp4", "video_mp4"],
    ["test.keys", "keyset"],
    ["module.json", "lifted_json"],
    ["program.nca", "nca_candidate"],
    ["tiny.bin", "unknown"],
  ])("%s is %s", (name, format) => {
    expect(detectFormat(join(dir, name))).toBe(format);
  });
});

describe("provenance init and verify", () => {
  it("writes a provenance file that verifies, then names every mismatch", async () => {
    const out = join(dir, "provenance.toml");
    const names = ["game.nro", "main.nso", "card.xci", "test.keys", "program.nca"];
    const result = await writeProvenance(names.map((n) => join(dir, n)), { ...identity, out, role: [`${join(dir, "main.nso")}=main_executable`] });
    expect(result.count).toBe(5);
    const text = await readFile(out, "utf8");
    expect(text).toContain('path = "main.nso"');
    expect(text).toContain('role = "main_executable"');
    expect(text).not.toContain(dir);
    const verified = await verifyProvenance(out);
    expect(verified.inputs.map((i) => i.entry.format)).toEqual(["xci", "nro0", "nso0", "nca", "keyset"]);

    await writeFile(join(dir, "main.nso"), magicFile("NSO0", 0, 0x101));
    await writeFile(join(dir, "game.nro"), magicFile("NSO0", 0, 0x200));
    await rm(join(dir, "test.keys"));
    const errors = await verifyProvenance(out).then(
      () => [],
      (error: unknown) => (error as RecompErrorList).errors.map(formatError),
    );
    expect(errors).toHaveLength(5);
    expect(errors.join("\n")).toMatch(/inputs\[1\]\.sha256: "game\.nro" has SHA-256/);
    expect(errors.join("\n")).toMatch(/inputs\[1\]\.format: "game\.nro" is declared as nro0 but its content is nso0/);
    expect(errors.join("\n")).toMatch(/inputs\[2\]\.size: "main\.nso" is 257 bytes; provenance records 256/);
    expect(errors.join("\n")).toMatch(/inputs\[2\]\.sha256/);
    expect(errors.join("\n")).toMatch(/inputs\[4\]\.path: input "test\.keys" does not exist/);
    await writeFile(join(dir, "main.nso"), magicFile("NSO0", 0, 0x100));
    await writeFile(join(dir, "game.nro"), magicFile("NRO0", 0x10, 0x200));
  });

  it("refuses content of no known format", async () => {
    await expect(writeProvenance([join(dir, "tiny.bin")], { ...identity, out: join(dir, "p2.toml") })).rejects.toThrow(/content matches no input format/);
  });
});

describe("asset separation", () => {
  it("refuses tracked folders inside a work tree and accepts ignored ones", async () => {
    const repo = join(dir, "repo");
    await mkdir(repo);
    await execa("git", ["init", "-q", repo]);
    await writeFile(join(repo, ".gitignore"), "work/\n");
    await expect(assertUntracked(join(repo, "work", "assets"), "assets dir")).resolves.toBeUndefined();
    await expect(assertUntracked(join(repo, "out"), "work root")).rejects.toThrow(/work root ".*out" lies inside the git work tree .* and is not ignored by git/);
    expect(() => assertOutsideGitWorkTree(join(repo, "work"), "assets dir")).toThrow(/lies inside the git work tree/);
    await expect(assertUntracked(join(dir, "elsewhere"), "work root")).resolves.toBeUndefined();
    expect(() => assertNotInside(join(dir, "a", "b"), join(dir, "a"), "assets dir", "intake dir")).toThrow(/overlap/);
    expect(() => assertNotInside(join(dir, "a"), join(dir, "a", "b"), "assets dir", "intake dir")).toThrow(/overlap/);
    expect(() => assertNotInside(join(dir, "a"), join(dir, "ab"), "assets dir", "intake dir")).not.toThrow();
  });
});
