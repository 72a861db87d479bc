// lift/a64/groups: Advanced SIMD floating point, vector and scalar forms (three same, two-register misc, by
// element, across lanes, pairwise, fixed-point shifts); semantics in runtime/core/a64/fp_vector.h.
import type { Encoding, Fields } from "../encoding-table.js";
import { body, type InsnBody } from "../types.js";
import { helper, scalarOperand, vectorOperand } from "../vector-operands.js";
import { fpOps, roundModes } from "./fp-scalar.js";

/** Element operation codes of fp_vector.h (RT_FPV_*; arithmetic shares fp_arith.h's RT_FP_*). */
const binary = {
  ...fpOps, max: 10, min: 11, maxnm: 12, minnm: 13, cmeq: 20, cmge: 21, cmgt: 22, acge: 23, acgt: 24, recps: 30, rsqrts: 31,
} as const;
const unary = {
  frintFpcr: 5, frintx: 6, abs: 10, neg: 11, sqrt: 12, recpe: 13, rsqrte: 14, recpx: 15, urecpe: 16, ursqrte: 17,
  cmeq0: 20, cmge0: 21, cmgt0: 22, cmle0: 23, cmlt0: 24,
} as const;

type Kind = "arith" | "muladd" | "pairwise";
interface ThreeSame {
  mnemonic: string;
  kind: Kind;
  code: number;
  /** Also a scalar (three same) form. */
  scalar?: boolean;
}

/** Three same, keyed by U:a:opcode (opcode 0x18..0x1f). */
const threeSame = new Map<number, ThreeSame>([
  [0b0_0_11000, { mnemonic: "fmaxnm", kind: "arith", code: binary.maxnm }],
  [0b0_0_11001, { mnemonic: "fmla", kind: "muladd", code: 0 }],
  [0b0_0_11010, { mnemonic: "fadd", kind: "arith", code: binary.add }],
  [0b0_0_11011, { mnemonic: "fmulx", kind: "arith", code: binary.mulx, scalar: true }],
  [0b0_0_11100, { mnemonic: "fcmeq", kind: "arith", code: binary.cmeq, scalar: true }],
  [0b0_0_11110, { mnemonic: "fmax", kind: "arith", code: binary.max }],
  [0b0_0_11111, { mnemonic: "frecps", kind: "arith", code: binary.recps, scalar: true }],
  [0b0_1_11000, { mnemonic: "fminnm", kind: "arith", code: binary.minnm }],
  [0b0_1_11001, { mnemonic: "fmls", kind: "muladd", code: 1 }],
  [0b0_1_11010, { mnemonic: "fsub", kind: "arith", code: binary.sub }],
  [0b0_1_11110, { mnemonic: "fmin", kind: "arith", code: binary.min }],
  [0b0_1_11111, { mnemonic: "frsqrts", kind: "arith", code: binary.rsqrts, scalar: true }],
  [0b1_0_11000, { mnemonic: "fmaxnmp", kind: "pairwise", code: binary.maxnm }],
  [0b1_0_11010, { mnemonic: "faddp", kind: "pairwise", code: binary.add }],
  [0b1_0_11011, { mnemonic: "fmul", kind: "arith", code: binary.mul }],
  [0b1_0_11100, { mnemonic: "fcmge", kind: "arith", code: binary.cmge, scalar: true }],
  [0b1_0_11101, { mnemonic: "facge", kind: "arith", code: binary.acge, scalar: true }],
  [0b1_0_11110, { mnemonic: "fmaxp", kind: "pairwise", code: binary.max }],
  [0b1_0_11111, { mnemonic: "fdiv", kind: "arith", code: binary.div }],
  [0b1_1_11000, { mnemonic: "fminnmp", kind: "pairwise", code: binary.minnm }],
  [0b1_1_11010, { mnemonic: "fabd", kind: "arith", code: binary.abd, scalar: true }],
  [0b1_1_11100, { mnemonic: "fcmgt", kind: "arith", code: binary.cmgt, scalar: true }],
  [0b1_1_11101, { mnemonic: "facgt", kind: "arith", code: binary.acgt, scalar: true }],
  [0b1_1_11110, { mnemonic: "fminp", kind: "pairwise", code: binary.min }],
]);

/** Runtime fmt (1 single, 2 double), element size index (2, 3) and element count of sz and Q; undefined for 1d. */
function shape(sz: number, q: number): { fmt: number; size: number; count: number } | undefined {
  if (sz === 1 && q === 0) return undefined;
  return { fmt: sz + 1, size: sz + 2, count: (q ? 4 : 2) >> sz };
}

function vectorThreeSame(f: Fields): InsnBody | undefined {
  const entry = threeSame.get((f.u << 6) | (f.a << 5) | f.o);
  const s = shape(f.z, f.q);
  if (entry === undefined || s === undefined) return undefined;
  const operands = [f.d, f.n, f.m].map((r) => vectorOperand(r, s.size, f.q)).join(", ");
  const op =
    entry.kind === "muladd" ? helper("fpv_muladd", [entry.code, s.fmt, s.count, f.d, f.n, f.m, -1])
    : entry.kind === "pairwise" ? helper("fpv_pairwise", [entry.code, s.fmt, s.count, f.d, f.n, f.m])
    : helper("fpv_binary", [entry.code, s.fmt, s.count, f.d, f.n, f.m, -1]);
  return body(entry.mnemonic, operands, [op]);
}

function scalarThreeSame(f: Fields): InsnBody | undefined {
  const entry = threeSame.get((f.u << 6) | (f.a << 5) | f.o);
  if (entry?.scalar !== true) return undefined;
  const operands = [f.d, f.n, f.m].map((r) => scalarOperand(r, f.z + 2)).join(", ");
  return body(entry.mnemonic, operands, [helper("fpv_binary", [entry.code, f.z + 1, 1, f.d, f.n, f.m, -1])]);
}

interface Misc {
  mnemonic: string;
  /** unary: fpv_unary code; toInt: [mode, signed]; fromInt: signed. */
  kind: "unary" | "toInt" | "fromInt";
  code: number;
  signed?: number;
  scalar?: boolean;
  /** No vector form (frecpx). */
  scalarOnly?: boolean;
  /** Single only (urecpe, ursqrte). */
  singleOnly?: boolean;
  /** Compares with zero print ", #0.0". */
  zero?: boolean;
}

/** Two-register misc, keyed by U:a:opcode (fcvtn/fcvtl/fcvtxn are decoded apart). */
const misc = new Map<number, Misc>([
  [0b0_0_11000, { mnemonic: "frintn", kind: "unary", code: roundModes.n }],
  [0b0_0_11001, { mnemonic: "frintm", kind: "unary", code: roundModes.m }],
  [0b0_0_11010, { mnemonic: "fcvtns", kind: "toInt", code: roundModes.n, signed: 1, scalar: true }],
  [0b0_0_11011, { mnemonic: "fcvtms", kind: "toInt", code: roundModes.m, signed: 1, scalar: true }],
  [0b0_0_11100, { mnemonic: "fcvtas", kind: "toInt", code: roundModes.a, signed: 1, scalar: true }],
  [0b0_0_11101, { mnemonic: "scvtf", kind: "fromInt", code: 0, signed: 1, scalar: true }],
  [0b0_1_01100, { mnemonic: "fcmgt", kind: "unary", code: unary.cmgt0, scalar: true, zero: true }],
  [0b0_1_01101, { mnemonic: "fcmeq", kind: "unary", code: unary.cmeq0, scalar: true, zero: true }],
  [0b0_1_01110, { mnemonic: "fcmlt", kind: "unary", code: unary.cmlt0, scalar: true, zero: true }],
  [0b0_1_01111, { mnemonic: "fabs", kind: "unary", code: unary.abs }],
  [0b0_1_11000, { mnemonic: "frintp", kind: "unary", code: roundModes.p }],
  [0b0_1_11001, { mnemonic: "frintz", kind: "unary", code: roundModes.z }],
  [0b0_1_11010, { mnemonic: "fcvtps", kind: "toInt", code: roundModes.p, signed: 1, scalar: true }],
  [0b0_1_11011, { mnemonic: "fcvtzs", kind: "toInt", code: roundModes.z, signed: 1, scalar: true }],
  [0b0_1_11100, { mnemonic: "urecpe", kind: "unary", code: unary.urecpe, singleOnly: true }],
  [0b0_1_11101, { mnemonic: "frecpe", kind: "unary", code: unary.recpe, scalar: true }],
  [0b0_1_11111, { mnemonic: "frecpx", kind: "unary", code: unary.recpx, scalar: true, scalarOnly: true }],
  [0b1_0_11000, { mnemonic: "frinta", kind: "unary", code: roundModes.a }],
  [0b1_0_11001, { mnemonic: "frintx", kind: "unary", code: unary.frintx }],
  [0b1_0_11010, { mnemonic: "fcvtnu", kind: "toInt", code: roundModes.n, signed: 0, scalar: true }],
  [0b1_0_11011, { mnemonic: "fcvtmu", kind: "toInt", code: roundModes.m, signed: 0, scalar: true }],
  [0b1_0_11100, { mnemonic: "fcvtau", kind: "toInt", code: roundModes.a, signed: 0, scalar: true }],
  [0b1_0_11101, { mnemonic: "ucvtf", kind: "fromInt", code: 0, signed: 0, scalar: true }],
  [0b1_1_01100, { mnemonic: "fcmge", kind: "unary", code: unary.cmge0, scalar: true, zero: true }],
  [0b1_1_01101, { mnemonic: "fcmle", kind: "unary", code: unary.cmle0, scalar: true, zero: true }],
  [0b1_1_01111, { mnemonic: "fneg", kind: "unary", code: unary.neg }],
  [0b1_1_11001, { mnemonic: "frinti", kind: "unary", code: unary.frintFpcr }],
  [0b1_1_11010, { mnemonic: "fcvtpu", kind: "toInt", code: roundModes.p, signed: 0, scalar: true }],
  [0b1_1_11011, { mnemonic: "fcvtzu", kind: "toInt", code: roundModes.z, signed: 0, scalar: true }],
  [0b1_1_11100, { mnemonic: "ursqrte", kind: "unary", code: unary.ursqrte, singleOnly: true }],
  [0b1_1_11101, { mnemonic: "frsqrte", kind: "unary", code: unary.rsqrte, scalar: true }],
  [0b1_1_11111, { mnemonic: "fsqrt", kind: "unary", code: unary.sqrt }],
]);

function miscOp(entry: Misc, fmt: number, count: number, d: number, n: number): ReturnType<typeof helper> {
  if (entry.kind === "toInt") return helper("fpv_convert", [1, entry.code, entry.signed ?? 0, 0, fmt, count, d, n]);
  if (entry.kind === "fromInt") return helper("fpv_convert", [0, 0, entry.signed ?? 0, 0, fmt, count, d, n]);
  return helper("fpv_unary", [entry.code, fmt, count, d, n]);
}

/** fcvtn/fcvtn2, fcvtxn/fcvtxn2, fcvtl/fcvtl2 (U:a:opcode 0_0_10110, 1_0_10110, 0_0_10111). */
function narrowWiden(f: Fields): InsnBody | undefined {
  const key = (f.u << 6) | (f.a << 5) | f.o;
  const suffix = f.q ? "2" : "";
  if (key === 0b0_0_10110 || (key === 0b1_0_10110 && f.z === 1)) {
    const odd = key === 0b1_0_10110 ? 1 : 0;
    const to = f.z === 0 ? 0 : 1; /* half from single, single from double */
    const operands = `${vectorOperand(f.d, f.z + 1, f.q)}, ${vectorOperand(f.n, f.z + 2, 1)}`;
    return body(`${odd ? "fcvtxn" : "fcvtn"}${suffix}`, operands, [helper("fpv_narrow", [to, odd, f.z === 0 ? 4 : 2, f.q, f.d, f.n])]);
  }
  if (key === 0b0_0_10111) {
    const operands = `${vectorOperand(f.d, f.z + 2, 1)}, ${vectorOperand(f.n, f.z + 1, f.q)}`;
    return body(`fcvtl${suffix}`, operands, [helper("fpv_widen", [f.z + 1, f.q, f.d, f.n])]);
  }
  return undefined;
}

function vectorMisc(f: Fields): InsnBody | undefined {
  const entry = misc.get((f.u << 6) | (f.a << 5) | f.o);
  if (entry === undefined) return narrowWiden(f);
  if (entry.scalarOnly === true) return undefined;
  const s = shape(f.z, f.q);
  if (s === undefined || (entry.singleOnly === true && f.z === 1)) return undefined;
  const operands = `${vectorOperand(f.d, s.size, f.q)}, ${vectorOperand(f.n, s.size, f.q)}${entry.zero === true ? ", #0.0" : ""}`;
  return body(entry.mnemonic, operands, [miscOp(entry, s.fmt, s.count, f.d, f.n)]);
}

function scalarMisc(f: Fields): InsnBody | undefined {
  const key = (f.u << 6) | (f.a << 5) | f.o;
  if (key === 0b1_0_10110) {
    if (f.z !== 1) return undefined;
    return body("fcvtxn", `${scalarOperand(f.d, 2)}, ${scalarOperand(f.n, 3)}`, [helper("fpv_narrow", [1, 1, 1, 0, f.d, f.n])]);
  }
  const entry = misc.get(key);
  if (entry?.scalar !== true) return undefined;
  const operands = `${scalarOperand(f.d, f.z + 2)}, ${scalarOperand(f.n, f.z + 2)}${entry.zero === true ? ", #0.0" : ""}`;
  return body(entry.mnemonic, operands, [miscOp(entry, f.z + 1, 1, f.d, f.n)]);
}

/** Across lanes (4s only) and scalar pairwise, keyed by U:a:opcode. */
const reductions = new Map<number, [string, number]>([
  [0b1_0_01100, ["fmaxnm", binary.maxnm]], [0b1_1_01100, ["fminnm", binary.minnm]],
  [0b1_0_01111, ["fmax", binary.max]], [0b1_1_01111, ["fmin", binary.min]],
  [0b1_0_01101, ["fadd", binary.add]],
]);

function acrossLanes(f: Fields): InsnBody | undefined {
  const entry = reductions.get((f.u << 6) | (f.a << 5) | f.o);
  if (entry === undefined || entry[0] === "fadd" || f.z !== 0 || f.q !== 1) return undefined;
  return body(`${entry[0]}v`, `${scalarOperand(f.d, 2)}, ${vectorOperand(f.n, 2, 1)}`, [helper("fpv_reduce", [entry[1], f.d, f.n])]);
}

function scalarPairwise(f: Fields): InsnBody | undefined {
  const entry = reductions.get((f.u << 6) | (f.a << 5) | f.o);
  if (entry === undefined) return undefined;
  const operands = `${scalarOperand(f.d, f.z + 2)}, ${vectorOperand(f.n, f.z + 2, f.z)}`;
  return body(`${entry[0]}p`, operands, [helper("fpv_pairwise", [entry[1], f.z + 1, 1, f.d, f.n, f.n])]);
}

/** By element: fmla (0001), fmls (0101), fmul (1001, U=0), fmulx (1001, U=1); size 10 single, 11 double. */
function byElement(f: Fields, scalar: boolean): InsnBody | undefined {
  if (f.s < 2 || (f.s === 3 && (f.l === 1 || (!scalar && f.q === 0)))) return undefined;
  const fmt = f.s - 1;
  const index = f.s === 2 ? (f.h << 1) | f.l : f.h;
  const m = (f.x << 4) | f.m;
  let mnemonic: string;
  if (f.o === 0b0001 && f.u === 0) mnemonic = "fmla";
  else if (f.o === 0b0101 && f.u === 0) mnemonic = "fmls";
  else if (f.o === 0b1001) mnemonic = f.u ? "fmulx" : "fmul";
  else return undefined;
  const count = scalar ? 1 : (f.q ? 4 : 2) >> (f.s - 2);
  const element = `v${m}.${"sd"[f.s - 2]}[${index}]`;
  const regs = scalar ? [f.d, f.n].map((r) => scalarOperand(r, f.s)) : [f.d, f.n].map((r) => vectorOperand(r, f.s, f.q));
  const op =
    mnemonic === "fmla" || mnemonic === "fmls"
      ? helper("fpv_muladd", [mnemonic === "fmls" ? 1 : 0, fmt, count, f.d, f.n, m, index])
      : helper("fpv_binary", [mnemonic === "fmulx" ? binary.mulx : binary.mul, fmt, count, f.d, f.n, m, index]);
  return body(mnemonic, `${regs.join(", ")}, ${element}`, [op]);
}

/** scvtf/ucvtf/fcvtzs/fcvtzu #fbits (shift by immediate): immh 01xx single, 1xxx double. */
function fixedShift(f: Fields, scalar: boolean): InsnBody | undefined {
  if (f.i < 4) return undefined;
  const double = f.i >= 8;
  if (double && !scalar && f.q === 0) return undefined;
  const fmt = double ? 2 : 1;
  const fbits = (double ? 128 : 64) - ((f.i << 3) | f.b);
  const toInt = f.o === 0b11111;
  const mnemonic = toInt ? (f.u ? "fcvtzu" : "fcvtzs") : f.u ? "ucvtf" : "scvtf";
  const size = double ? 3 : 2;
  const count = scalar ? 1 : (f.q ? 4 : 2) >> (size - 2);
  const regs = scalar ? [f.d, f.n].map((r) => scalarOperand(r, size)) : [f.d, f.n].map((r) => vectorOperand(r, size, f.q));
  const signed = f.u ? 0 : 1;
  const op = helper("fpv_convert", [toInt ? 1 : 0, roundModes.z, signed, fbits, fmt, count, f.d, f.n]);
  return body(mnemonic, `${regs.join(", ")}, #${fbits}`, [op]);
}

export const encodings: Encoding[] = [
  { name: "Advanced SIMD three same (FP)", pattern: "0qu01110az1mmmmm11ooo1nnnnnddddd", decode: (f) => vectorThreeSame({ ...f, o: f.o | 0x18 }) },
  { name: "Advanced SIMD scalar three same (FP)", pattern: "01u11110az1mmmmm11ooo1nnnnnddddd", decode: (f) => scalarThreeSame({ ...f, o: f.o | 0x18 }) },
  { name: "Advanced SIMD two-register misc (FP)", pattern: "0qu01110az10000ooooo10nnnnnddddd", decode: (f) => vectorMisc(f) },
  { name: "Advanced SIMD scalar two-register misc (FP)", pattern: "01u11110az10000ooooo10nnnnnddddd", decode: (f) => scalarMisc(f) },
  { name: "Advanced SIMD across lanes (FP)", pattern: "0qu01110az11000ooooo10nnnnnddddd", decode: (f) => acrossLanes(f) },
  { name: "Advanced SIMD scalar pairwise (FP)", pattern: "01u11110az11000ooooo10nnnnnddddd", decode: (f) => scalarPairwise(f) },
  { name: "Advanced SIMD vector x indexed element (FP)", pattern: "0qu01111sslxmmmmooooh0nnnnnddddd", decode: (f) => byElement(f, false) },
  { name: "Advanced SIMD scalar x indexed element (FP)", pattern: "01u11111sslxmmmmooooh0nnnnnddddd", decode: (f) => byElement(f, true) },
  { name: "Advanced SIMD shift by immediate (FP fixed point)", pattern: "0qu011110iiiibbbooooo1nnnnnddddd", decode: (f) => (f.o === 0b11100 || f.o === 0b11111 ? fixedShift(f, false) : undefined) },
  { name: "Advanced SIMD scalar shift by immediate (FP fixed point)", pattern: "01u111110iiiibbbooooo1nnnnnddddd", decode: (f) => (f.o === 0b11100 || f.o === 0b11111 ? fixedShift(f, true) : undefined) },
];
