// lift/a64/groups: the encodings decoded from tables (FP, Advanced SIMD, crypto, atomics, system), one file per group.
import { decoderOf, type Encoding } from "../encoding-table.js";
import { encodings as fpScalar } from "./fp-scalar.js";
import { encodings as fpVector } from "./fp-vector.js";

/** Every table-driven group; the hand-written class decoders (decode.ts) are tried first. */
export const tableEncodings: readonly Encoding[] = [
  ...fpScalar,
  ...fpVector,
];

export const decodeFromTable = decoderOf(tableEncodings);
