// lift/a64/groups: the encodings decoded from tables (FP, Advanced SIMD, crypto, atomics, system), one file per group.
import { decoderOf, type Encoding } from "../encoding-table.js";
import { encodings as atomics } from "./atomics.js";
import { encodings as crc32 } from "./crc32.js";
import { encodings as crypto } from "./crypto.js";
import { encodings as fpScalar } from "./fp-scalar.js";
import { encodings as fpVector } from "./fp-vector.js";
import { encodings as system } from "./system.js";
import { encodings as vectorStructures } from "./vector-structures.js";

/** Every table-driven group; the hand-written class decoders (decode.ts) are tried first. */
export const tableEncodings: readonly Encoding[] = [
  ...atomics,
  ...crc32,
  ...crypto,
  ...fpScalar,
  ...fpVector,
  ...system,
  ...vectorStructures,
];

export const decodeFromTable = decoderOf(tableEncodings);
