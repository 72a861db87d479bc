// lift/a64/groups: the encodings decoded from tables (FP, Advanced SIMD, crypto, atomics, system), one file per group.
import { decoderOf, type Encoding } from "../encoding-table.js";
import { encodings as atomics } from "./atomics.js";
import { encodings as crc32 } from "./crc32.js";
import { encodings as crypto } from "./crypto.js";
import { encodings as fpScalar } from "./fp-scalar.js";
import { encodings as fpVector } from "./fp-vector.js";
import { encodings as simdAcrossLanes } from "./simd-across-lanes.js";
import { encodings as simdByElement } from "./simd-by-element.js";
import { encodings as simdCopy } from "./simd-copy.js";
import { encodings as simdModifiedImmediate } from "./simd-modified-immediate.js";
import { encodings as simdPermute } from "./simd-permute.js";
import { encodings as simdShiftImmediate } from "./simd-shift-immediate.js";
import { encodings as simdThreeDifferent } from "./simd-three-different.js";
import { encodings as simdThreeSame } from "./simd-three-same.js";
import { encodings as simdTwoMisc } from "./simd-two-misc.js";
import { encodings as system } from "./system.js";
import { encodings as vectorStructures } from "./vector-structures.js";

/** Every table-driven group; the hand-written class decoders (decode.ts) are tried first. */
export const tableEncodings: readonly Encoding[] = [
  ...atomics,
  ...crc32,
  ...crypto,
  ...fpScalar,
  ...fpVector,
  ...simdThreeSame,
  ...simdThreeDifferent,
  ...simdTwoMisc,
  ...simdAcrossLanes,
  ...simdCopy,
  ...simdModifiedImmediate,
  ...simdShiftImmediate,
  ...simdByElement,
  ...simdPermute,
  ...system,
  ...vectorStructures,
];

export const decodeFromTable = decoderOf(tableEncodings);
