/**
 * scripts/hactool-crosscheck: every kind of image the project generates, each in its own folder:
 * the demo's XCI, the test fixtures' variants (key generations and kinds, NCA2, card key area,
 * tickets, two programs, no RomFS, RomFS sizes at IVFC block edges and a multi-block tree), and
 * property-style cases drawn by fast-check from a fixed seed.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import fc from "fast-check";
import type { ByteSource } from "../../src/formats/byte-source.js";
import { buildRomfs, type RomfsBuildFile } from "../../src/formats/testing/romfs-build.js";
import { largeRomfsSource } from "../../src/formats/testing/large-romfs.js";
import { makeXciFixture, type XciFixture, type XciFixtureOptions, type XciFixtureProgram } from "../../src/formats/testing/xci-fixture.js";
import { fixtureProgram } from "../../test/fixtures/xci-case.js";
import { makeXciFromNro } from "../../test/fixtures/xci-from-nro.js";
import { demoPaths } from "../demo/paths.js";

export interface GeneratedImage {
  name: string;
  fixture: XciFixture;
  /** The ExeFS files of every program as specified, for the standalone PFS0 check. */
  exefs: XciFixtureProgram["exefs"][];
  /** The image keeps the 0x1000-byte card key area in front (hactool reads images without it). */
  keyAreaPrefix: boolean;
}

interface ImageCase {
  name: string;
  options: XciFixtureOptions;
}

const ivfcBlock = 0x4000;
const ticket = (n: number): string => `0100000000ab0000000000000000000${n}`;

/** A RomFS image of exactly `size` bytes (one file filled with a fixed pattern). */
function romfsOfSize(size: number): ByteSource {
  const header = largeRomfsSource(0).size;
  return largeRomfsSource(size - header);
}

function fixedCases(): ImageCase[] {
  const program = (overrides: Partial<XciFixtureProgram> = {}, seed = 1): XciFixtureProgram => fixtureProgram(overrides, seed);
  return [
    { name: "fixture-default", options: { programs: [program()] } },
    { name: "fixture-key-area-prefix", options: { programs: [program()], keyAreaPrefix: true } },
    { name: "fixture-nca2", options: { programs: [program()], magic: "NCA2" } },
    { name: "fixture-ocean-gen3", options: { programs: [program()], keyGeneration: 3, keyAreaIndex: 1 } },
    { name: "fixture-system-gen15", options: { programs: [program()], keyGeneration: 0x0f, keyAreaIndex: 2 } },
    { name: "fixture-ticket", options: { programs: [program({ rightsId: ticket(1) })], keyGeneration: 4 } },
    { name: "fixture-two-programs", options: { programs: [program(), program({ titleId: "0100000000cd0000" }, 7)] } },
    { name: "fixture-no-romfs", options: { programs: [{ ...program(), romfs: undefined }] } },
    { name: "romfs-block-minus-one", options: { programs: [program({ romfs: romfsOfSize(ivfcBlock - 1) })] } },
    { name: "romfs-block", options: { programs: [program({ romfs: romfsOfSize(ivfcBlock) })] } },
    { name: "romfs-block-plus-one", options: { programs: [program({ romfs: romfsOfSize(ivfcBlock + 1) })] } },
    // 20 MiB: level 5 holds 1281 hashes (3 blocks), so levels 4 and 5 both have several blocks.
    { name: "romfs-20mib", options: { programs: [program({ romfs: romfsOfSize(20 * 1024 * 1024 + 1) })] } },
  ];
}

/** Deterministic file bytes: a SHA-256 stream of the path. */
function fileBytes(path: string, size: number): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; blocks.length * 32 < size; i += 1) blocks.push(createHash("sha256").update(`${path}#${i}`).digest());
  return Buffer.concat(blocks).subarray(0, size);
}

const segment = fc.stringMatching(/^[a-z0-9_]{1,10}$/);
const romfsFiles = fc
  .uniqueArray(fc.tuple(fc.array(segment, { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 0x9000 })), { minLength: 1, maxLength: 8, selector: ([parts]) => parts.join("/") })
  // A path may not be both a file and a folder.
  .filter((files) => files.every(([a]) => files.every(([b]) => !b.join("/").startsWith(`${a.join("/")}/`))))
  .map((files): RomfsBuildFile[] => files.map(([parts, size]) => ({ path: parts.join("/"), data: fileBytes(parts.join("/"), size) })));

const propertyCase = fc.record({
  romfs: fc.option(romfsFiles, { nil: undefined }),
  seed: fc.integer({ min: 1, max: 1000 }),
  keyGeneration: fc.integer({ min: 0, max: 0x0f }),
  keyAreaIndex: fc.integer({ min: 0, max: 2 }),
  magic: fc.constantFrom("NCA3" as const, "NCA2" as const),
  keyAreaPrefix: fc.boolean(),
  ticket: fc.boolean(),
});

function propertyCases(count: number, seed: number): ImageCase[] {
  return fc.sample(propertyCase, { numRuns: count, seed }).map((drawn, i) => {
    const base = fixtureProgram(drawn.ticket ? { rightsId: ticket(2) } : {}, drawn.seed);
    const program: XciFixtureProgram = { ...base, romfs: drawn.romfs === undefined ? undefined : buildRomfs(drawn.romfs) };
    const { keyGeneration, keyAreaIndex, magic, keyAreaPrefix } = drawn;
    return { name: `property-${String(i).padStart(2, "0")}`, options: { programs: [program], keyGeneration, keyAreaIndex, magic, keyAreaPrefix } };
  });
}

/** Writes every image under `root`, one folder each; `count` property cases from `seed`. */
export async function generateImages(root: string, count: number, seed: number): Promise<GeneratedImage[]> {
  const images: GeneratedImage[] = [];
  const demo = await makeXciFromNro(demoPaths.nro, join(root, "demo"), "0100000000000000");
  images.push({ name: "demo", fixture: demo, exefs: [], keyAreaPrefix: false });
  for (const { name, options } of [...fixedCases(), ...propertyCases(count, seed)]) {
    const fixture = await makeXciFixture(join(root, name), options);
    images.push({ name, fixture, exefs: options.programs.map((program) => program.exefs), keyAreaPrefix: options.keyAreaPrefix === true });
  }
  return images;
}
