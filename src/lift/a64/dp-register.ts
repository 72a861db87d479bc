// lift/a64: data processing on registers: logical/add/sub (shifted, extended), adc/sbc, ccmp, csel, mul/div, bit ops.
import type { IrOp } from "../../config/module-json.js";
import { bit, field, hexImm, irImm } from "./bits.js";
import { condName, extendNames, invertCond, irReg, regName, shiftNames } from "./operands.js";
import { body, type InsnBody, type Word } from "./types.js";

export function decodeDataRegister({ word }: Word): InsnBody | undefined {
  const op2 = field(word, 24, 21);
  if (bit(word, 28) === 0) {
    if ((op2 & 0b1000) === 0) return logicalShifted(word);
    return (op2 & 1) === 0 ? addSubShifted(word) : addSubExtended(word);
  }
  if ((op2 & 0b1000) !== 0) return threeSource(word);
  switch (op2) {
    case 0b0000:
      return addSubCarry(word);
    case 0b0010:
      return conditionalCompare(word);
    case 0b0100:
      return conditionalSelect(word);
    case 0b0110:
      return bit(word, 30) === 0 ? twoSource(word) : oneSource(word);
    default:
      return undefined;
  }
}

const width = (is64: boolean): string => (is64 ? "i64" : "i32");

/** The ops that compute `rm SHIFT #amount` into t0, or rm itself when there is no shift. */
function shiftedOperand(rm: number, shift: number, amount: number, is64: boolean, ops: IrOp[]): string {
  if (shift === 0 && amount === 0) return irReg(rm, false);
  const op = `${["lsl", "lsr", "asr", "ror"][shift]}_${width(is64)}`;
  ops.push({ op, dst: "t0", lhs: irReg(rm, false), rhs: irImm(amount) });
  return "t0";
}

function shiftText(shift: number, amount: number): string {
  return shift === 0 && amount === 0 ? "" : `, ${shiftNames[shift] as string} #${amount}`;
}

function logicalShifted(word: number): InsnBody | undefined {
  const is64 = bit(word, 31) === 1;
  const opc = field(word, 30, 29);
  const shift = field(word, 23, 22);
  const invert = bit(word, 21) === 1;
  const rm = field(word, 20, 16);
  const amount = field(word, 15, 10);
  const rn = field(word, 9, 5);
  const rd = field(word, 4, 0);
  if (!is64 && amount > 31) return undefined;
  const ops: IrOp[] = [];
  let rhs = shiftedOperand(rm, shift, amount, is64, ops);
  if (invert) {
    ops.push({ op: `not_${width(is64)}`, dst: "t0", src: rhs });
    rhs = "t0";
  }
  const irName = ["and", "or", "xor", "ands"][opc];
  const lhs = irReg(rn, false);
  if (opc === 3 && rd === 31) ops.push({ op: `test_${width(is64)}`, lhs, rhs });
  else ops.push({ op: `${irName}_${width(is64)}`, dst: irReg(rd, false), lhs, rhs });
  const [d, n, m] = [rd, rn, rm].map((r) => regName(r, is64, false)) as [string, string, string];
  const sh = shiftText(shift, amount);
  if (opc === 1 && !invert && shift === 0 && amount === 0 && rn === 31) return body("mov", `${d}, ${m}`, ops);
  if (opc === 1 && invert && rn === 31) return body("mvn", `${d}, ${m}${sh}`, ops);
  if (opc === 3 && !invert && rd === 31) return body("tst", `${n}, ${m}${sh}`, ops);
  const name = (invert ? ["bic", "orn", "eon", "bics"] : ["and", "orr", "eor", "ands"])[opc];
  return body(name, `${d}, ${n}, ${m}${sh}`, ops);
}

function addSubShifted(word: number): InsnBody | undefined {
  const is64 = bit(word, 31) === 1;
  const sub = bit(word, 30) === 1;
  const setFlags = bit(word, 29) === 1;
  const shift = field(word, 23, 22);
  const rm = field(word, 20, 16);
  const amount = field(word, 15, 10);
  const rn = field(word, 9, 5);
  const rd = field(word, 4, 0);
  if (shift === 3 || (!is64 && amount > 31)) return undefined;
  const ops: IrOp[] = [];
  const rhs = shiftedOperand(rm, shift, amount, is64, ops);
  const lhs = irReg(rn, false);
  const w = width(is64);
  if (setFlags && rd === 31) ops.push({ op: `${sub ? "cmp" : "cmn"}_${w}`, lhs, rhs });
  else ops.push({ op: `${sub ? "sub" : "add"}${setFlags ? "s" : ""}_${w}`, dst: irReg(rd, false), lhs, rhs });
  const [d, n, m] = [rd, rn, rm].map((r) => regName(r, is64, false)) as [string, string, string];
  const sh = shiftText(shift, amount);
  if (setFlags && rd === 31) return body(sub ? "cmp" : "cmn", `${n}, ${m}${sh}`, ops);
  if (sub && rn === 31) return body(setFlags ? "negs" : "neg", `${d}, ${m}${sh}`, ops);
  return body(`${sub ? "sub" : "add"}${setFlags ? "s" : ""}`, `${d}, ${n}, ${m}${sh}`, ops);
}

function addSubExtended(word: number): InsnBody | undefined {
  const is64 = bit(word, 31) === 1;
  const sub = bit(word, 30) === 1;
  const setFlags = bit(word, 29) === 1;
  const rm = field(word, 20, 16);
  const option = field(word, 15, 13);
  const amount = field(word, 12, 10);
  const rn = field(word, 9, 5);
  const rd = field(word, 4, 0);
  if (field(word, 23, 22) !== 0 || amount > 4) return undefined;
  const ops: IrOp[] = [];
  const src = irReg(rm, false);
  const extendBits = [8, 16, 32, 0][option & 3] as 8 | 16 | 32 | 0;
  if (extendBits === 0) ops.push({ op: "mov_i64", dst: "t0", src });
  else ops.push({ op: option >= 4 ? "sext_i64" : "zext_i64", dst: "t0", src, bits: extendBits });
  if (amount !== 0) ops.push({ op: "lsl_i64", dst: "t0", lhs: "t0", rhs: irImm(amount) });
  const w = width(is64);
  const lhs = irReg(rn, true);
  if (setFlags && rd === 31) ops.push({ op: `${sub ? "cmp" : "cmn"}_${w}`, lhs, rhs: "t0" });
  else ops.push({ op: `${sub ? "sub" : "add"}${setFlags ? "s" : ""}_${w}`, dst: irReg(rd, !setFlags), lhs, rhs: "t0" });
  const d = regName(rd, is64, !setFlags);
  const n = regName(rn, is64, true);
  const m = regName(rm, is64 && (option & 3) === 3, false);
  const usesSp = rn === 31 || (!setFlags && rd === 31);
  const ext =
    usesSp && option === (is64 ? 3 : 2)
      ? amount === 0
        ? ""
        : `, lsl #${amount}`
      : `, ${extendNames[option] as string}${amount === 0 ? "" : ` #${amount}`}`;
  if (setFlags && rd === 31) return body(sub ? "cmp" : "cmn", `${n}, ${m}${ext}`, ops);
  return body(`${sub ? "sub" : "add"}${setFlags ? "s" : ""}`, `${d}, ${n}, ${m}${ext}`, ops);
}

function addSubCarry(word: number): InsnBody | undefined {
  if (field(word, 15, 10) !== 0) return undefined;
  const is64 = bit(word, 31) === 1;
  const sub = bit(word, 30) === 1;
  const setFlags = bit(word, 29) === 1;
  const rm = field(word, 20, 16);
  const rn = field(word, 9, 5);
  const rd = field(word, 4, 0);
  const name = `${sub ? "sbc" : "adc"}${setFlags ? "s" : ""}`;
  const ops: IrOp[] = [{ op: `${name}_${width(is64)}`, dst: irReg(rd, false), lhs: irReg(rn, false), rhs: irReg(rm, false) }];
  const [d, n, m] = [rd, rn, rm].map((r) => regName(r, is64, false)) as [string, string, string];
  if (sub && rn === 31) return body(setFlags ? "ngcs" : "ngc", `${d}, ${m}`, ops);
  return body(name, `${d}, ${n}, ${m}`, ops);
}

function conditionalCompare(word: number): InsnBody | undefined {
  if (bit(word, 29) !== 1 || bit(word, 10) !== 0 || bit(word, 4) !== 0) return undefined;
  const is64 = bit(word, 31) === 1;
  const negate = bit(word, 30) === 0;
  const immediate = bit(word, 11) === 1;
  const rm = field(word, 20, 16);
  const cond = field(word, 15, 12);
  const rn = field(word, 9, 5);
  const nzcv = field(word, 3, 0);
  const name = negate ? "ccmn" : "ccmp";
  const rhs = immediate ? irImm(rm) : irReg(rm, false);
  const ops: IrOp[] = [{ op: `${name}_${width(is64)}`, lhs: irReg(rn, false), rhs, cond: condName(cond), nzcv }];
  const second = immediate ? hexImm(rm) : regName(rm, is64, false);
  return body(name, `${regName(rn, is64, false)}, ${second}, ${hexImm(nzcv)}, ${condName(cond)}`, ops);
}

function conditionalSelect(word: number): InsnBody | undefined {
  if (bit(word, 29) !== 0 || bit(word, 11) !== 0) return undefined;
  const is64 = bit(word, 31) === 1;
  const kind = (bit(word, 30) << 1) | bit(word, 10);
  const rm = field(word, 20, 16);
  const cond = field(word, 15, 12);
  const rn = field(word, 9, 5);
  const rd = field(word, 4, 0);
  const name = ["csel", "csinc", "csinv", "csneg"][kind];
  const ops: IrOp[] = [
    { op: `${name}_${width(is64)}`, dst: irReg(rd, false), cond: condName(cond), lhs: irReg(rn, false), rhs: irReg(rm, false) },
  ];
  const [d, n, m] = [rd, rn, rm].map((r) => regName(r, is64, false)) as [string, string, string];
  const aliasable = rm === rn && cond < 14;
  if (kind === 1 || kind === 2) {
    if (aliasable && rn === 31) return body(kind === 1 ? "cset" : "csetm", `${d}, ${invertCond(cond)}`, ops);
    if (aliasable) return body(kind === 1 ? "cinc" : "cinv", `${d}, ${n}, ${invertCond(cond)}`, ops);
  }
  if (kind === 3 && aliasable) return body("cneg", `${d}, ${n}, ${invertCond(cond)}`, ops);
  return body(name, `${d}, ${n}, ${m}, ${condName(cond)}`, ops);
}

function threeSource(word: number): InsnBody | undefined {
  const is64 = bit(word, 31) === 1;
  const op31 = field(word, 23, 21);
  const subtract = bit(word, 15) === 1;
  const rm = field(word, 20, 16);
  const ra = field(word, 14, 10);
  const rn = field(word, 9, 5);
  const rd = field(word, 4, 0);
  if (field(word, 30, 29) !== 0) return undefined;
  const d = regName(rd, is64, false);
  const dst = irReg(rd, false);
  const [n, m] = [irReg(rn, false), irReg(rm, false)];
  if (op31 === 0) {
    const w = width(is64);
    const ops: IrOp[] = [
      { op: `mul_${w}`, dst: "t0", lhs: n, rhs: m },
      { op: `${subtract ? "sub" : "add"}_${w}`, dst, lhs: irReg(ra, false), rhs: "t0" },
    ];
    const [rn_, rm_, ra_] = [rn, rm, ra].map((r) => regName(r, is64, false)) as [string, string, string];
    if (ra === 31) return body(subtract ? "mneg" : "mul", `${d}, ${rn_}, ${rm_}`, ops);
    return body(subtract ? "msub" : "madd", `${d}, ${rn_}, ${rm_}, ${ra_}`, ops);
  }
  if (!is64) return undefined;
  if ((op31 === 2 || op31 === 6) && !subtract) {
    const name = op31 === 2 ? "smulh" : "umulh";
    return body(name, `${d}, ${regName(rn, true, false)}, ${regName(rm, true, false)}`, [
      { op: `${name}_i64`, dst, lhs: n, rhs: m },
    ]);
  }
  if (op31 !== 1 && op31 !== 5) return undefined;
  const signed = op31 === 1;
  const extend = signed ? "sext_i64" : "zext_i64";
  const ops: IrOp[] = [
    { op: extend, dst: "t0", src: n, bits: 32 },
    { op: extend, dst: "t1", src: m, bits: 32 },
    { op: "mul_i64", dst: "t0", lhs: "t0", rhs: "t1" },
    { op: subtract ? "sub_i64" : "add_i64", dst, lhs: irReg(ra, false), rhs: "t0" },
  ];
  const prefix = signed ? "s" : "u";
  const operands = `${d}, ${regName(rn, false, false)}, ${regName(rm, false, false)}`;
  if (ra === 31) return body(`${prefix}${subtract ? "mnegl" : "mull"}`, operands, ops);
  return body(`${prefix}${subtract ? "msubl" : "maddl"}`, `${operands}, ${regName(ra, true, false)}`, ops);
}

function twoSource(word: number): InsnBody | undefined {
  if (bit(word, 29) !== 0) return undefined;
  const is64 = bit(word, 31) === 1;
  const opcode = field(word, 15, 10);
  const names: Record<number, [string, string]> = {
    2: ["udiv", "udiv"],
    3: ["sdiv", "sdiv"],
    8: ["lsl", "lsl"],
    9: ["lsr", "lsr"],
    10: ["asr", "asr"],
    11: ["ror", "ror"],
  };
  const entry = names[opcode];
  if (entry === undefined) return undefined;
  const [rm, rn, rd] = [field(word, 20, 16), field(word, 9, 5), field(word, 4, 0)];
  const [d, n, m] = [rd, rn, rm].map((r) => regName(r, is64, false)) as [string, string, string];
  return body(entry[0], `${d}, ${n}, ${m}`, [
    { op: `${entry[1]}_${width(is64)}`, dst: irReg(rd, false), lhs: irReg(rn, false), rhs: irReg(rm, false) },
  ]);
}

function oneSource(word: number): InsnBody | undefined {
  if (bit(word, 29) !== 0 || field(word, 20, 16) !== 0) return undefined;
  const is64 = bit(word, 31) === 1;
  const opcode = field(word, 15, 10);
  const table: Record<number, [string, string] | undefined> = {
    0: ["rbit", `rbit_${width(is64)}`],
    1: ["rev16", `rev16_${width(is64)}`],
    2: is64 ? ["rev32", "rev32_i64"] : ["rev", "rev_i32"],
    3: is64 ? ["rev", "rev_i64"] : undefined,
    4: ["clz", `clz_${width(is64)}`],
    5: ["cls", `cls_${width(is64)}`],
  };
  const entry = table[opcode];
  if (entry === undefined) return undefined;
  const [rn, rd] = [field(word, 9, 5), field(word, 4, 0)];
  return body(entry[0], `${regName(rd, is64, false)}, ${regName(rn, is64, false)}`, [
    { op: entry[1], dst: irReg(rd, false), src: irReg(rn, false) },
  ]);
}
