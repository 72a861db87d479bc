// lift/a64/groups: the ARMv8.0 cryptographic extension: AES, SHA-1 and SHA-256 (pmull is with Advanced SIMD).
import type { Encoding } from "../encoding-table.js";
import { body } from "../types.js";
import { helper, scalarOperand, vectorOperand } from "../vector-operands.js";

const v4s = (n: number): string => vectorOperand(n, 2, 1);
const v16b = (n: number): string => vectorOperand(n, 0, 1);

/** AES by opcode (bits 16..12): the helper and its mode argument. */
const aes: Record<number, [string, string, number]> = {
  0b00100: ["aese", "aes_round", 0],
  0b00101: ["aesd", "aes_round", 1],
  0b00110: ["aesmc", "aes_mix_columns", 0],
  0b00111: ["aesimc", "aes_mix_columns", 1],
};

export const encodings: Encoding[] = [
  {
    name: "AESE, AESD, AESMC, AESIMC",
    pattern: "010011100010100ooooo10nnnnnddddd",
    decode: ({ o, n, d }) => {
      const form = aes[o];
      if (form === undefined) return undefined;
      const [mnemonic, fn, mode] = form;
      return body(mnemonic, `${v16b(d)}, ${v16b(n)}`, [helper(fn, [d, n, mode])]);
    },
  },
  {
    name: "SHA1C, SHA1P, SHA1M, SHA1SU0, SHA256H, SHA256H2, SHA256SU1",
    pattern: "01011110000mmmmm0ooo00nnnnnddddd",
    decode: ({ m, o, n, d }) => {
      if (o <= 2) return body(["sha1c", "sha1p", "sha1m"][o], `q${d}, ${scalarOperand(n, 2)}, ${v4s(m)}`, [helper("sha1_hash", [d, n, m, o])]);
      if (o === 3) return body("sha1su0", `${v4s(d)}, ${v4s(n)}, ${v4s(m)}`, [helper("sha1su0", [d, n, m])]);
      if (o <= 5) return body(o === 4 ? "sha256h" : "sha256h2", `q${d}, q${n}, ${v4s(m)}`, [helper("sha256_hash", [d, n, m, o - 4])]);
      if (o === 6) return body("sha256su1", `${v4s(d)}, ${v4s(n)}, ${v4s(m)}`, [helper("sha256su1", [d, n, m])]);
      return undefined;
    },
  },
  {
    name: "SHA1H, SHA1SU1, SHA256SU0",
    pattern: "010111100010100ooooo10nnnnnddddd",
    decode: ({ o, n, d }) => {
      if (o === 0) return body("sha1h", `${scalarOperand(d, 2)}, ${scalarOperand(n, 2)}`, [helper("sha1h", [d, n])]);
      if (o === 1) return body("sha1su1", `${v4s(d)}, ${v4s(n)}`, [helper("sha1su1", [d, n])]);
      if (o === 2) return body("sha256su0", `${v4s(d)}, ${v4s(n)}`, [helper("sha256su0", [d, n])]);
      return undefined;
    },
  },
];
