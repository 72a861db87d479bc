// NCA ciphers against an independent computation: AES from the openssl command line, XTS
// assembled here from IEEE 1619 (tweak doubling in GF(2^128)) with Nintendo's big-endian tweak.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ncaCtrCounter, ncaCtrTransform, nintendoXtsTweak, xtsDecrypt, xtsEncrypt } from "../../src/formats/nca-crypto.js";
import { requireTools } from "../helpers/tools.js";

// Obviously fake test key; the data-key and tweak-key halves differ.
const key = Buffer.from("11".repeat(16) + "22".repeat(16), "hex");
const plain = Buffer.from(Array.from({ length: 0x200 }, (_, i) => (i * 7 + 3) & 0xff));

function opensslEcb(keyHex: string, data: Buffer): Buffer {
  return execFileSync("openssl", ["enc", "-aes-128-ecb", "-nopad", "-K", keyHex], { input: data });
}

function double(tweak: Buffer): Buffer {
  const out = Buffer.alloc(16);
  const carry = (tweak[15] ?? 0) >> 7;
  for (let i = 15; i > 0; i -= 1) out[i] = (((tweak[i] ?? 0) << 1) | ((tweak[i - 1] ?? 0) >> 7)) & 0xff;
  out[0] = ((tweak[0] ?? 0) << 1) & 0xff;
  if (carry === 1) out[0] = (out[0] ?? 0) ^ 0x87;
  return out;
}

function xor(a: Buffer, b: Buffer): Buffer {
  return Buffer.from(a.map((byte, i) => byte ^ (b[i] ?? 0)));
}

/** XTS-AES-128 of one 0x200-byte sector whose tweak input is `tweakInput`, AES by the openssl CLI. */
function referenceXts(tweakInput: Buffer): Buffer {
  let tweak = opensslEcb(key.toString("hex", 16, 32), tweakInput);
  const tweaks: Buffer[] = [];
  for (let j = 0; j < 0x20; j += 1) {
    tweaks.push(tweak);
    tweak = double(tweak);
  }
  const whitened = Buffer.concat(tweaks.map((t, j) => xor(plain.subarray(j * 16, j * 16 + 16), t)));
  const encrypted = opensslEcb(key.toString("hex", 0, 16), whitened);
  return Buffer.concat(tweaks.map((t, j) => xor(encrypted.subarray(j * 16, j * 16 + 16), t)));
}

describe.runIf(requireTools("openssl"))("NCA ciphers (known answers from openssl)", () => {
  it("the XTS tweak is the sector number big-endian", () => {
    expect(nintendoXtsTweak(0x0102).toString("hex")).toBe("00000000000000000000000000000102");
  });

  it("AES-128-XTS of sector 5 with Nintendo's tweak matches XTS assembled from openssl AES", () => {
    const expected = referenceXts(nintendoXtsTweak(5));
    expect(xtsEncrypt(key, plain, 5).equals(expected)).toBe(true);
    expect(xtsDecrypt(key, expected, 5).equals(plain)).toBe(true);
    // Standard XTS numbers sectors little-endian: a different tweak, a different ciphertext.
    const littleEndian = Buffer.alloc(16);
    littleEndian.writeUInt32LE(5, 0);
    expect(referenceXts(littleEndian).equals(expected)).toBe(false);
  });

  it("multi-sector XTS numbers each 0x200-byte sector on from the first", () => {
    const two = xtsEncrypt(key, Buffer.concat([plain, plain]), 2);
    expect(two.subarray(0x200).equals(referenceXts(nintendoXtsTweak(3)))).toBe(true);
  });

  it("section AES-128-CTR equals openssl aes-128-ctr with the upper IV and offset/16 counter", () => {
    const ctrKey = Buffer.alloc(16, 0xe0);
    const upperIv = Buffer.from("0000000000005ec0", "hex");
    const offset = 0xc00 + 0x30;
    const expected = execFileSync(
      "openssl",
      ["enc", "-aes-128-ctr", "-K", ctrKey.toString("hex"), "-iv", ncaCtrCounter(upperIv, offset).toString("hex")],
      { input: plain },
    );
    expect(ncaCtrCounter(upperIv, offset).toString("hex")).toBe("0000000000005ec000000000000000c3");
    expect(ncaCtrTransform(ctrKey, upperIv, offset, plain).equals(expected)).toBe(true);
    // An unaligned read decrypts the same bytes as the aligned stream.
    expect(ncaCtrTransform(ctrKey, upperIv, offset + 5, expected.subarray(5, 40)).equals(plain.subarray(5, 40))).toBe(true);
  });
});
