// The features file: versioned, read back as views of one read, a file of another version refused by name,
// and features refused beside a hash list they were not written with.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { colourBytes, decodeFeatures, encodeFrameFeatures, openFrameFeaturesFile, readFrameFeaturesFile, signatureBytes, videoFeaturesVersion } from "../../src/media/index.js";
import { RecompError } from "../../src/util/errors.js";
import { sha256Hex } from "../../src/util/hash.js";

const listSha = sha256Hex("a hash list");

function features(frames: number) {
  const fill = (bytes: number, seed: number) => Uint8Array.from({ length: frames * bytes }, (_, i) => (i * seed + 7) % 251);
  return { width: 320, height: 180, signatures: fill(signatureBytes, 3), colour: fill(colourBytes, 5), phashes: Array.from({ length: frames }, (_, i) => BigInt(i) * 0x0123456789abcdefn & 0xffffffffffffffffn) };
}

/** A file with the given JSON header and body, as an older or newer recomp would write it. */
function withHeader(head: object, body: Uint8Array): Buffer {
  const json = Buffer.from(JSON.stringify(head));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  return Buffer.concat([Buffer.from("RCMPFEAT"), length, json, body]);
}

function refusal(bytes: Buffer): RecompError {
  try {
    decodeFeatures(bytes, "ref/frames.hashes.features");
  } catch (error) {
    if (error instanceof RecompError) return error;
    throw error;
  }
  throw new Error("the file was accepted");
}

describe("features file", () => {
  it("reads back what it wrote, as views of the bytes read", () => {
    const written = features(5);
    const bytes = encodeFrameFeatures(written, listSha);
    const read = decodeFeatures(bytes, "f");
    expect(read.kind).toBe("video");
    if (read.kind !== "video") return;
    expect(read.features.phashes).toEqual(written.phashes);
    expect(Buffer.from(read.features.signatures).equals(Buffer.from(written.signatures))).toBe(true);
    expect(Buffer.from(read.features.colour).equals(Buffer.from(written.colour))).toBe(true);
    expect(read.features.colour.buffer).toBe(bytes.buffer);
  });

  it("refuses a frame features file of an older version, naming the file, what changed and the fix", () => {
    const bytes = encodeFrameFeatures(features(2), listSha);
    const head = JSON.parse(bytes.subarray(12, 12 + bytes.readUInt32LE(8)).toString()) as Record<string, unknown>;
    const v2 = refusal(withHeader({ ...head, version: 2 }, bytes.subarray(12 + bytes.readUInt32LE(8))));
    expect(v2.message).toBe(
      `features file holds frame features of version 2, this recomp reads version ${videoFeaturesVersion} (version 3 stores each kind of feature of all frames together, read without copying; version 4 records the SHA-256 of the hash list it belongs to)`,
    );
    expect(v2.location).toEqual({ file: "ref/frames.hashes.features" });
    expect(v2.hint).toMatch(/recomp hash-frames/);
    expect(refusal(withHeader({ kind: "video", version: 1, frames: 0 }, new Uint8Array())).message).toMatch(/version 1, .* \(version 2 added colour thumbnails; version 3 /);
    expect(refusal(withHeader({ kind: "audio", version: 1 }, new Uint8Array())).message).toBe("features file holds audio features of version 1, this recomp reads version 3 (version 3 records the SHA-256 of the hash list it belongs to)");
  });

  it("refuses a truncated body", () => {
    const bytes = encodeFrameFeatures(features(3), listSha);
    expect(refusal(bytes.subarray(0, bytes.length - 1)).message).toBe("features file is truncated");
  });

  it("refuses features written with another hash list, naming both files and the fix", async () => {
    const dir = mkdtempSync(join(tmpdir(), "recomp-features-"));
    try {
      const list = join(dir, "frames.hashes");
      const featuresFile = `${list}.features`;
      writeFileSync(list, "# recomp frame hashes\n" + "ab".repeat(32) + "\n");
      writeFileSync(featuresFile, encodeFrameFeatures(features(1), listSha));
      const identity = { file: list, sha256: sha256Hex("# recomp frame hashes\n" + "ab".repeat(32) + "\n") };
      const refused = await readFrameFeaturesFile(featuresFile, identity).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(RecompError);
      const error = refused as RecompError;
      expect(error.message).toBe(`features file belongs to a hash list with SHA-256 ${listSha}, not to ${list} (SHA-256 ${identity.sha256})`);
      expect(error.location).toEqual({ file: featuresFile });
      expect(error.hint).toMatch(/write both again with `recomp hash-frames`/);
      expect((await readFrameFeaturesFile(featuresFile, { file: list, sha256: listSha })).phashes).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("opened, reads the luma at once and the colour thumbnails on demand, in any order, and refuses a file changed since", async () => {
    const dir = mkdtempSync(join(tmpdir(), "recomp-features-"));
    try {
      const file = join(dir, "frames.hashes.features");
      // More frames than one chunk of colour thumbnails (64), so reads cross chunks.
      const written = features(150);
      writeFileSync(file, encodeFrameFeatures(written, listSha));
      const opened = await openFrameFeaturesFile(file, { file: "frames.hashes", sha256: listSha });
      expect(opened.phashes).toEqual(written.phashes);
      expect(Buffer.from(opened.signatures).equals(Buffer.from(written.signatures))).toBe(true);
      expect(opened.colour.count).toBe(150);
      const expected = (i: number) => Buffer.from(written.colour.subarray(i * colourBytes, (i + 1) * colourBytes));
      for (const i of [0, 1, 63, 64, 149, 70, 3, 148]) {
        const bytes = opened.colour.load(i);
        const at = opened.colour.offsetOf(i);
        expect(Buffer.from(bytes.subarray(at, at + colourBytes)).equals(expected(i))).toBe(true);
        expect(Buffer.from(opened.colour.copy(i)).equals(expected(i))).toBe(true);
      }
      await expect(openFrameFeaturesFile(file, { file: "other.hashes", sha256: sha256Hex("other") })).rejects.toMatchObject({ code: "input_mismatch" });
      utimesSync(file, new Date(0), new Date(1000));
      expect(() => opened.colour.load(100)).toThrow("features file changed while it was read");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
