// lift/a64/groups: CRC32 and CRC32C of a byte, halfword, word or doubleword (data-processing, two source).
import type { Encoding } from "../encoding-table.js";
import { irReg, regName } from "../operands.js";
import { body } from "../types.js";
import { helper } from "../vector-operands.js";

export const encodings: Encoding[] = [
  {
    name: "CRC32, CRC32C",
    pattern: "f0011010110mmmmm010czznnnnnddddd",
    decode: ({ f, m, c, z, n, d }) => {
      // Only crc32x/crc32cx take a 64-bit value, and they need sf = 1.
      if ((f === 1) !== (z === 3)) return undefined;
      const mnemonic = `crc32${c === 1 ? "c" : ""}${"bhwx"[z]}`;
      const text = `${regName(d, false, false)}, ${regName(n, false, false)}, ${regName(m, f === 1, false)}`;
      return body(mnemonic, text, [helper("crc32", [irReg(n, false), irReg(m, false), 1 << z, c], irReg(d, false))]);
    },
  },
];
