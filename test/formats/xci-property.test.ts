// Property tests: random and mutated PFS0/HFS0, XCI and NCA bytes never crash the parsers, never
// hang, and fail only with typed RecompErrors.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memorySource, type ByteSource } from "../../src/formats/byte-source.js";
import { parseKeyset } from "../../src/formats/keyset.js";
import { xtsDecrypt, xtsEncrypt } from "../../src/formats/nca-crypto.js";
import { parseNcaHeader } from "../../src/formats/nca.js";
import { parsePartitionFs } from "../../src/formats/partition-fs.js";
import { buildPartitionFs } from "../../src/formats/partition-fs-writer.js";
import { fakeProdKeys, makeXciFixture } from "../../src/formats/testing/xci-fixture.js";
import { openXci } from "../../src/formats/xci.js";
import { RecompError, RecompErrorList } from "../../src/util/errors.js";
import { fixtureProgram } from "../fixtures/xci-case.js";

const keys = parseKeyset(fakeProdKeys(), "prod.keys");

/** The base bytes with some bytes replaced, without copying the base on every case. */
function mutated(base: Uint8Array, edits: readonly (readonly [number, number])[], label: string): ByteSource {
  const patches = new Map(edits.map(([at, value]) => [at % base.length, value]));
  const source = memorySource(base, label);
  return {
    size: base.length,
    label,
    async read(offset, length) {
      const bytes = await source.read(offset, length);
      if (![...patches.keys()].some((at) => at >= offset && at < offset + length)) return bytes;
      const copy = Uint8Array.from(bytes);
      for (const [at, value] of patches) if (at >= offset && at < offset + length) copy[at - offset] = value;
      return copy;
    },
  };
}

async function typedOrOk(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    expect(error instanceof RecompError || error instanceof RecompErrorList).toBe(true);
  }
}

const edits = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 });

describe("partition FS parser", () => {
  const pfs0 = buildPartitionFs("PFS0", [
    { name: "main", data: Buffer.alloc(0x300, 1) },
    { name: "main.npdm", data: Buffer.alloc(0x40, 2) },
  ]);

  it("survives random bytes behind each magic (10,000 cases)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("PFS0", "HFS0"), fc.uint8Array({ maxLength: 0x200 }), async (magic, tail) => {
        const bytes = Buffer.concat([Buffer.from(magic, "latin1"), tail]);
        await typedOrOk(() => parsePartitionFs(memorySource(bytes, "random"), magic));
      }),
      { numRuns: 10_000 },
    );
  });

  it("survives mutations of a valid PFS0 (10,000 cases)", async () => {
    await fc.assert(
      fc.asyncProperty(edits, async (changes) => {
        await typedOrOk(() => parsePartitionFs(mutated(pfs0, changes, "mutated"), "PFS0"));
      }),
      { numRuns: 10_000 },
    );
  });
});

describe("XCI and NCA parsers", () => {
  let dir: string;
  let image: Uint8Array;
  let ncaHeader: Buffer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "recomp-xci-property-"));
    const fixture = await makeXciFixture(dir, { programs: [fixtureProgram()] });
    image = await readFile(fixture.xci);
    const nca = await readFile(join(dir, "nca-work", fixture.programNcas[0] ?? ""));
    ncaHeader = xtsDecrypt(keys.require("header_key", 32), nca.subarray(0, 0xc00), 0);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("openXci survives mutations of the card header and partition tables (2,000 cases)", async () => {
    const headerEdits = fc.array(fc.tuple(fc.integer({ min: 0x100, max: 0x1ff }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 });
    const tableEdits = fc.array(fc.tuple(fc.integer({ min: 0xf000, max: 0xf400 }), fc.integer({ min: 0, max: 255 })), { maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(headerEdits, tableEdits, fc.boolean(), async (head, tables, verify) => {
        await typedOrOk(() => openXci(mutated(image, [...head, ...tables], "mutated.xci"), { verify }));
      }),
      { numRuns: 2_000 },
    );
  });

  it("parseNcaHeader survives mutated plaintext headers, re-encrypted (2,000 cases)", async () => {
    const headerKey = keys.require("header_key", 32);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0x200, max: 0xbff }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), async (changes) => {
        const plain = Buffer.from(ncaHeader);
        for (const [at, value] of changes) plain[at] = value;
        const encrypted = xtsEncrypt(headerKey, plain, 0);
        await typedOrOk(() => parseNcaHeader(memorySource(Buffer.concat([encrypted, Buffer.alloc(0x4000)]), "mutated.nca"), keys));
      }),
      { numRuns: 2_000 },
    );
  });
});
