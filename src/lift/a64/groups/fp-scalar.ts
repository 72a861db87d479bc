// lift/a64/groups: scalar floating point (data processing 1/2/3 source, compare, conditional compare and select,
// immediate moves, conversions to and from general registers and fixed point); semantics in runtime/core/a64/fp_scalar.h.
import type { Encoding, Fields } from "../encoding-table.js";
import { condName, irReg, regName } from "../operands.js";
import { body, type InsnBody } from "../types.js";
import { helper, scalarOperand } from "../vector-operands.js";

/** Element format of the `tt` (ftype) field: 0 single, 1 double, 3 half; the runtime's fmt is 1 single, 2 double, 0 half. */
const formatOfType = [1, 2, undefined, 0] as const;
/** Operand size index (scalarOperand) of a runtime fmt. */
const sizeOfFormat = [1, 2, 3];

/** The runtime's arithmetic codes (RT_FP_* in fp_arith.h). */
export const fpOps = { add: 0, sub: 1, mul: 2, div: 3, mulx: 4, nmul: 5, abd: 6 } as const;
/** The architecture's fixed rounding modes (RT_ROUND_* in fp_state.h); -1 is FPCR's. */
export const roundModes = { n: 0, p: 1, m: 2, z: 3, a: 4 } as const;

/** Single or double only: v8.0 has half precision in conversions alone. */
function singleOrDouble(tt: number): number | undefined {
  return tt <= 1 ? formatOfType[tt] : undefined;
}

function fpReg(n: number, fmt: number): string {
  return scalarOperand(n, sizeOfFormat[fmt]);
}

const twoSource: [string, (fmt: number, f: Fields) => ReturnType<typeof helper>][] = [
  ["fmul", (fmt, f) => helper("fp_arith", [fpOps.mul, fmt, f.d, f.n, f.m])],
  ["fdiv", (fmt, f) => helper("fp_arith", [fpOps.div, fmt, f.d, f.n, f.m])],
  ["fadd", (fmt, f) => helper("fp_arith", [fpOps.add, fmt, f.d, f.n, f.m])],
  ["fsub", (fmt, f) => helper("fp_arith", [fpOps.sub, fmt, f.d, f.n, f.m])],
  ["fmax", (fmt, f) => helper("fp_minmax", [1, 0, fmt, f.d, f.n, f.m])],
  ["fmin", (fmt, f) => helper("fp_minmax", [0, 0, fmt, f.d, f.n, f.m])],
  ["fmaxnm", (fmt, f) => helper("fp_minmax", [1, 1, fmt, f.d, f.n, f.m])],
  ["fminnm", (fmt, f) => helper("fp_minmax", [0, 1, fmt, f.d, f.n, f.m])],
  ["fnmul", (fmt, f) => helper("fp_arith", [fpOps.nmul, fmt, f.d, f.n, f.m])],
];

/** Data-processing (1 source) opcodes 8..15: frint with a fixed mode, frintx and frinti (FPCR's mode). */
const frints: (readonly [string, number, number] | undefined)[] = [
  ["frintn", roundModes.n, 0], ["frintp", roundModes.p, 0], ["frintm", roundModes.m, 0], ["frintz", roundModes.z, 0],
  ["frinta", roundModes.a, 0], undefined, ["frintx", -1, 1], ["frinti", -1, 0],
];

function oneSource(f: Fields): InsnBody | undefined {
  const from = formatOfType[f.t];
  if (from === undefined) return undefined;
  const src = fpReg(f.n, from);
  if (f.o >= 4 && f.o <= 7) {
    const to = [1, 2, undefined, 0][f.o - 4];
    if (to === undefined || to === from) return undefined;
    return body("fcvt", `${fpReg(f.d, to)}, ${src}`, [helper("fp_fcvt", [from, to, f.d, f.n])]);
  }
  const fmt = singleOrDouble(f.t);
  if (fmt === undefined) return undefined;
  const operands = `${fpReg(f.d, fmt)}, ${src}`;
  if (f.o <= 2) return body(["fmov", "fabs", "fneg"][f.o], operands, [helper("fp_sign", [f.o, fmt, f.d, f.n])]);
  if (f.o === 3) return body("fsqrt", operands, [helper("fp_sqrt", [fmt, f.d, f.n])]);
  const frint = frints[f.o - 8];
  if (frint === undefined) return undefined;
  return body(frint[0], operands, [helper("fp_frint", [frint[1], frint[2], fmt, f.d, f.n])]);
}

/** VFPExpandImm's value of an 8-bit immediate: ±(16 + frac) / 16 * 2^exponent, exponent -3..4. */
export function expandFpImmediate(imm8: number): number {
  const high = (imm8 >> 4) & 7;
  const exponent = high >= 4 ? high - 7 : high + 1;
  const value = ((16 + (imm8 & 15)) / 16) * 2 ** exponent;
  return imm8 & 0x80 ? -value : value;
}

/** The value's bits in single (fmt 1) or double (fmt 2), as a "#0x.." immediate. */
function fpBits(value: number, fmt: number): string {
  const view = new DataView(new ArrayBuffer(8));
  if (fmt === 2) view.setFloat64(0, value, true);
  else view.setFloat32(0, value, true);
  return `#0x${(fmt === 2 ? view.getBigUint64(0, true) : BigInt(view.getUint32(0, true))).toString(16)}`;
}

/** objdump's text of an FP immediate: "%.18e" with a two-digit exponent. */
export function formatFpImmediate(value: number): string {
  return value.toExponential(18).replace(/e([+-])(\d)$/, "e$10$2");
}

/** Conversion opcode (rmode:opcode) to [mnemonic, runtime mode, signed] for FP -> integer. */
const toInteger = new Map<number, [string, number, number]>([
  [0b00000, ["fcvtns", roundModes.n, 1]], [0b00001, ["fcvtnu", roundModes.n, 0]],
  [0b00100, ["fcvtas", roundModes.a, 1]], [0b00101, ["fcvtau", roundModes.a, 0]],
  [0b01000, ["fcvtps", roundModes.p, 1]], [0b01001, ["fcvtpu", roundModes.p, 0]],
  [0b10000, ["fcvtms", roundModes.m, 1]], [0b10001, ["fcvtmu", roundModes.m, 0]],
  [0b11000, ["fcvtzs", roundModes.z, 1]], [0b11001, ["fcvtzu", roundModes.z, 0]],
]);

function generalReg(n: number, is64: boolean): string {
  return regName(n, is64, false);
}

/** fmov between a general register and an FP register (w/s, x/d) or the upper half of a V register (x/v.d[1]). */
function fmovGeneral(f: Fields, toFp: boolean): InsnBody | undefined {
  const is64 = f.s === 1;
  const upper = f.r === 1 && f.t === 2 && is64;
  if (!upper && !(f.r === 0 && ((f.t === 0 && !is64) || (f.t === 1 && is64)))) return undefined;
  const bytes = is64 ? 8 : 4;
  const [v, gpr] = toFp ? [f.d, f.n] : [f.n, f.d];
  const fp = upper ? `v${v}.d[1]` : scalarOperand(v, is64 ? 3 : 2);
  const g = generalReg(gpr, is64);
  if (!toFp) return body("fmov", `${g}, ${fp}`, [helper("fp_get", [v, bytes, upper ? 1 : 0], irReg(gpr, false))]);
  const op = upper ? helper("fp_set_upper", [v, irReg(gpr, false)]) : helper("fp_set", [v, irReg(gpr, false), bytes]);
  return body("fmov", `${fp}, ${g}`, [op]);
}

function integerConversion(f: Fields): InsnBody | undefined {
  const opcode = (f.r << 3) | f.o;
  if (f.o === 6 || f.o === 7) return fmovGeneral(f, f.o === 7);
  const fmt = singleOrDouble(f.t);
  if (fmt === undefined) return undefined;
  const bits = f.s === 1 ? 64 : 32;
  const g = generalReg(f.r === 0 && (f.o === 2 || f.o === 3) ? f.n : f.d, f.s === 1);
  if (f.r === 0 && (f.o === 2 || f.o === 3)) {
    return body(f.o === 2 ? "scvtf" : "ucvtf", `${fpReg(f.d, fmt)}, ${g}`, [
      helper("fp_from_int", [irReg(f.n, false), f.o === 2 ? 1 : 0, bits, 0, fmt, f.d]),
    ]);
  }
  const conversion = toInteger.get(opcode);
  if (conversion === undefined) return undefined;
  const [mnemonic, mode, signed] = conversion;
  return body(mnemonic, `${g}, ${fpReg(f.n, fmt)}`, [helper("fp_to_int", [mode, signed, bits, 0, fmt, f.n], irReg(f.d, false))]);
}

function fixedConversion(f: Fields): InsnBody | undefined {
  const fmt = singleOrDouble(f.t);
  if (fmt === undefined || (f.s === 0 && f.c < 32)) return undefined;
  const fbits = 64 - f.c;
  const bits = f.s === 1 ? 64 : 32;
  const kind = (f.r << 3) | f.o;
  if (kind === 0b00010 || kind === 0b00011) {
    const operands = `${fpReg(f.d, fmt)}, ${generalReg(f.n, f.s === 1)}, #${fbits}`;
    return body(kind === 0b00010 ? "scvtf" : "ucvtf", operands, [
      helper("fp_from_int", [irReg(f.n, false), kind === 0b00010 ? 1 : 0, bits, fbits, fmt, f.d]),
    ]);
  }
  if (kind !== 0b11000 && kind !== 0b11001) return undefined;
  const signed = kind === 0b11000 ? 1 : 0;
  const operands = `${generalReg(f.d, f.s === 1)}, ${fpReg(f.n, fmt)}, #${fbits}`;
  return body(signed ? "fcvtzs" : "fcvtzu", operands, [helper("fp_to_int", [roundModes.z, signed, bits, fbits, fmt, f.n], irReg(f.d, false))]);
}

export const encodings: Encoding[] = [
  { name: "FP data-processing (1 source)", pattern: "00011110tt1oooooo10000nnnnnddddd", decode: (f) => oneSource(f) },
  {
    name: "FP data-processing (2 source)",
    pattern: "00011110tt1mmmmmoooo10nnnnnddddd",
    decode: (f) => {
      const fmt = singleOrDouble(f.t);
      const entry = twoSource[f.o];
      if (fmt === undefined || entry === undefined) return undefined;
      return body(entry[0], `${fpReg(f.d, fmt)}, ${fpReg(f.n, fmt)}, ${fpReg(f.m, fmt)}`, [entry[1](fmt, f)]);
    },
  },
  {
    name: "FP data-processing (3 source)",
    pattern: "00011111ttrmmmmmoaaaaannnnnddddd",
    decode: (f) => {
      const fmt = singleOrDouble(f.t);
      if (fmt === undefined) return undefined;
      const which = (f.r << 1) | f.o;
      const operands = [f.d, f.n, f.m, f.a].map((n) => fpReg(n, fmt)).join(", ");
      const negAddend = f.r;
      const negProduct = f.r ^ f.o;
      return body(["fmadd", "fmsub", "fnmadd", "fnmsub"][which], operands, [helper("fp_muladd", [negAddend, negProduct, fmt, f.d, f.n, f.m, f.a])]);
    },
  },
  {
    name: "FP compare",
    pattern: "00011110tt1mmmmm001000nnnnnoo000",
    decode: (f) => {
      const fmt = singleOrDouble(f.t);
      if (fmt === undefined) return undefined;
      const withZero = f.o & 1;
      if (withZero && f.m !== 0) return undefined;
      const signalAll = f.o >> 1;
      const operands = `${fpReg(f.n, fmt)}, ${withZero ? "#0.0" : fpReg(f.m, fmt)}`;
      return body(signalAll ? "fcmpe" : "fcmp", operands, [helper("fp_compare", [signalAll, withZero, fmt, f.n, f.m])]);
    },
  },
  {
    name: "FP conditional compare",
    pattern: "00011110tt1mmmmmcccc01nnnnnezzzz",
    decode: (f) => {
      const fmt = singleOrDouble(f.t);
      if (fmt === undefined) return undefined;
      const operands = `${fpReg(f.n, fmt)}, ${fpReg(f.m, fmt)}, #0x${f.z.toString(16)}, ${condName(f.c)}`;
      return body(f.e ? "fccmpe" : "fccmp", operands, [helper("fp_ccmp", [f.e, fmt, f.n, f.m, f.z, f.c])]);
    },
  },
  {
    name: "FP conditional select",
    pattern: "00011110tt1mmmmmcccc11nnnnnddddd",
    decode: (f) => {
      const fmt = singleOrDouble(f.t);
      if (fmt === undefined) return undefined;
      const operands = `${fpReg(f.d, fmt)}, ${fpReg(f.n, fmt)}, ${fpReg(f.m, fmt)}, ${condName(f.c)}`;
      return body("fcsel", operands, [helper("fp_csel", [fmt, f.d, f.n, f.m, f.c])]);
    },
  },
  {
    name: "FP immediate",
    pattern: "00011110tt1iiiiiiii10000000ddddd",
    decode: (f) => {
      const fmt = singleOrDouble(f.t);
      if (fmt === undefined) return undefined;
      const value = expandFpImmediate(f.i);
      return body("fmov", `${fpReg(f.d, fmt)}, #${formatFpImmediate(value)}`, [helper("fp_set", [f.d, fpBits(value, fmt), fmt === 2 ? 8 : 4])]);
    },
  },
  { name: "Conversion between FP and integer", pattern: "s0011110tt1rrooo000000nnnnnddddd", decode: (f) => integerConversion(f) },
  { name: "Conversion between FP and fixed-point", pattern: "s0011110tt0rroooccccccnnnnnddddd", decode: (f) => fixedConversion(f) },
];
