// lift/a64/groups: the encodings decoded from tables (FP, Advanced SIMD, crypto, atomics, system), one file per group.
import { decoderOf, type Encoding } from "../encoding-table.js";
import { encodings as simdThreeDifferent } from "./simd-three-different.js";
import { encodings as simdThreeSame } from "./simd-three-same.js";

/** Every table-driven group; the hand-written class decoders (decode.ts) are tried first. */
export const tableEncodings: readonly Encoding[] = [
  ...simdThreeSame,
  ...simdThreeDifferent,
];

export const decodeFromTable = decoderOf(tableEncodings);
