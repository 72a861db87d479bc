// lift/a64: data processing with immediates: adr/adrp, add/sub, logical, move wide, bitfield, extr.
import { decodeBitMask, isMoveWideImmediate } from "./bitmask.js";
import { bit, field, hex64, hexImm, irImm, signExtend, target, u64 } from "./bits.js";
import { irReg, regName } from "./operands.js";
import { body, type InsnBody, type Word } from "./types.js";

export function decodeDataImmediate({ word, pc }: Word): InsnBody | undefined {
  switch (field(word, 25, 23)) {
    case 0b000:
    case 0b001:
      return pcRelative(word, pc);
    case 0b010:
      return addSubImmediate(word);
    case 0b100:
      return logicalImmediate(word);
    case 0b101:
      return moveWide(word);
    case 0b110:
      return bitfield(word);
    case 0b111:
      return extract(word);
    default:
      return undefined;
  }
}

function pcRelative(word: number, pc: bigint): InsnBody {
  const rd = field(word, 4, 0);
  const imm = signExtend((field(word, 23, 5) << 2) | field(word, 30, 29), 21);
  const page = bit(word, 31) === 1;
  const value = u64(page ? (pc & ~0xfffn) + (imm << 12n) : pc + imm);
  return body(page ? "adrp" : "adr", `${regName(rd, true, false)}, ${target(value)}`, [
    { op: "const_i64", dst: irReg(rd, false), imm: hex64(value) },
  ]);
}

function addSubImmediate(word: number): InsnBody | undefined {
  const is64 = bit(word, 31) === 1;
  const sub = bit(word, 30) === 1;
  const setFlags = bit(word, 29) === 1;
  const shifted = bit(word, 22) === 1;
  const imm = field(word, 21, 10);
  const rn = field(word, 9, 5);
  const rd = field(word, 4, 0);
  const w = is64 ? "i64" : "i32";
  const value = shifted ? BigInt(imm) << 12n : BigInt(imm);
  const immText = `${hexImm(imm)}${shifted ? ", lsl #12" : ""}`;
  const n = regName(rn, is64, true);
  const d = regName(rd, is64, !setFlags);
  const lhs = irReg(rn, true);
  if (!sub && !setFlags && !shifted && imm === 0 && (rd === 31 || rn === 31)) {
    return body("mov", `${d}, ${n}`, [{ op: `add_${w}`, dst: irReg(rd, true), lhs, rhs: "#0x0" }]);
  }
  if (setFlags && rd === 31) {
    return body(sub ? "cmp" : "cmn", `${n}, ${immText}`, [{ op: `${sub ? "cmp" : "cmn"}_${w}`, lhs, rhs: irImm(value) }]);
  }
  const name = `${sub ? "sub" : "add"}${setFlags ? "s" : ""}`;
  return body(name, `${d}, ${n}, ${immText}`, [
    { op: `${name}_${w}`, dst: irReg(rd, !setFlags), lhs, rhs: irImm(value) },
  ]);
}

function logicalImmediate(word: number): InsnBody | undefined {
  const is64 = bit(word, 31) === 1;
  const width = is64 ? 64 : 32;
  const opc = field(word, 30, 29);
  const value = decodeBitMask(bit(word, 22), field(word, 21, 16), field(word, 15, 10), width);
  if (value === undefined) return undefined;
  const rn = field(word, 9, 5);
  const rd = field(word, 4, 0);
  const w = is64 ? "i64" : "i32";
  const setFlags = opc === 3;
  const n = regName(rn, is64, false);
  const d = regName(rd, is64, !setFlags);
  if (setFlags && rd === 31) {
    return body("tst", `${n}, ${hexImm(value)}`, [{ op: `test_${w}`, lhs: irReg(rn, false), rhs: irImm(value) }]);
  }
  const name = (["and", "orr", "eor", "ands"] as const)[opc] as string;
  const irName = (["and", "or", "xor", "ands"] as const)[opc] as string;
  const ops = [{ op: `${irName}_${w}`, dst: irReg(rd, !setFlags), lhs: irReg(rn, false), rhs: irImm(value) }];
  if (opc === 1 && rn === 31 && !isMoveWideImmediate(value, width)) return body("mov", `${d}, ${hexImm(value)}`, ops);
  return body(name, `${d}, ${n}, ${hexImm(value)}`, ops);
}

function moveWide(word: number): InsnBody | undefined {
  const is64 = bit(word, 31) === 1;
  const opc = field(word, 30, 29);
  const hw = field(word, 22, 21);
  if (opc === 1 || (!is64 && hw >= 2)) return undefined;
  const imm = field(word, 20, 5);
  const rd = field(word, 4, 0);
  const shift = BigInt(hw * 16);
  const mask = is64 ? (1n << 64n) - 1n : 0xffffffffn;
  const d = regName(rd, is64, false);
  const dst = irReg(rd, false);
  const shiftText = hw === 0 ? "" : `, lsl #${hw * 16}`;
  if (opc === 3) {
    const w = is64 ? "i64" : "i32";
    return body("movk", `${d}, ${hexImm(imm)}${shiftText}`, [
      { op: `and_${w}`, dst, lhs: dst, rhs: irImm(~(0xffffn << shift) & mask) },
      { op: `or_${w}`, dst, lhs: dst, rhs: irImm(BigInt(imm) << shift) },
    ]);
  }
  const inverted = opc === 0;
  const value = inverted ? ~(BigInt(imm) << shift) & mask : BigInt(imm) << shift;
  const ops = [{ op: "const_i64" as const, dst, imm: hex64(value) }];
  const aliasOk = !(imm === 0 && hw !== 0) && !(inverted && !is64 && imm === 0xffff);
  if (aliasOk) return body("mov", `${d}, ${hexImm(value)}`, ops);
  return body(inverted ? "movn" : "movz", `${d}, ${hexImm(imm)}${shiftText}`, ops);
}

/** BFXPreferred of the architecture: whether ubfx/sbfx is the preferred disassembly. */
function bfxPreferred(is64: boolean, unsigned: boolean, imms: number, immr: number): boolean {
  if (imms < immr) return false;
  if (imms === (is64 ? 63 : 31)) return false;
  if (immr === 0) {
    if (!is64 && (imms === 7 || imms === 15)) return false;
    if (is64 && !unsigned && (imms === 7 || imms === 15 || imms === 31)) return false;
  }
  return true;
}

function bitfield(word: number): InsnBody | undefined {
  const is64 = bit(word, 31) === 1;
  const opc = field(word, 30, 29);
  const n = bit(word, 22);
  const immr = field(word, 21, 16);
  const imms = field(word, 15, 10);
  if (opc === 3 || n !== (is64 ? 1 : 0)) return undefined;
  if (!is64 && (immr > 31 || imms > 31)) return undefined;
  const rn = field(word, 9, 5);
  const rd = field(word, 4, 0);
  const size = is64 ? 64 : 32;
  const w = is64 ? "i64" : "i32";
  const d = regName(rd, is64, false);
  const s = regName(rn, is64, false);
  const irName = (["sbfm", "bfm", "ubfm"] as const)[opc] as string;
  const ops = [{ op: `${irName}_${w}`, dst: irReg(rd, false), src: irReg(rn, false), immr, imms }];
  const lsbOf = (size - immr) & (size - 1);
  const insert = (name: string) => body(name, `${d}, ${s}, #${lsbOf}, #${imms + 1}`, ops);
  const extractText = (name: string) => body(name, `${d}, ${s}, #${immr}, #${imms - immr + 1}`, ops);
  if (opc === 0) {
    if (imms === size - 1) return body("asr", `${d}, ${s}, #${immr}`, ops);
    if (imms < immr) return insert("sbfiz");
    if (bfxPreferred(is64, false, imms, immr)) return extractText("sbfx");
    const ext = { 7: "sxtb", 15: "sxth", 31: "sxtw" }[imms];
    if (immr === 0 && ext !== undefined) return body(ext, `${d}, ${regName(rn, false, false)}`, ops);
    return undefined;
  }
  if (opc === 1) {
    if (imms < immr) return rn === 31 ? body("bfc", `${d}, #${lsbOf}, #${imms + 1}`, ops) : insert("bfi");
    return extractText("bfxil");
  }
  if (imms !== size - 1 && imms + 1 === immr) return body("lsl", `${d}, ${s}, #${size - 1 - imms}`, ops);
  if (imms === size - 1) return body("lsr", `${d}, ${s}, #${immr}`, ops);
  if (imms < immr) return insert("ubfiz");
  if (bfxPreferred(is64, true, imms, immr)) return extractText("ubfx");
  const ext = { 7: "uxtb", 15: "uxth" }[imms];
  if (immr === 0 && ext !== undefined && !is64) return body(ext, `${d}, ${s}`, ops);
  return undefined;
}

function extract(word: number): InsnBody | undefined {
  const is64 = bit(word, 31) === 1;
  if (field(word, 30, 29) !== 0 || bit(word, 21) !== 0 || bit(word, 22) !== (is64 ? 1 : 0)) return undefined;
  const imms = field(word, 15, 10);
  if (!is64 && imms > 31) return undefined;
  const rm = field(word, 20, 16);
  const rn = field(word, 9, 5);
  const rd = field(word, 4, 0);
  const ops = [
    { op: `extr_${is64 ? "i64" : "i32"}` as const, dst: irReg(rd, false), hi: irReg(rn, false), lo: irReg(rm, false), lsb: imms },
  ];
  const [d, n, m] = [rd, rn, rm].map((r) => regName(r, is64, false)) as [string, string, string];
  if (rn === rm) return body("ror", `${d}, ${n}, #${imms}`, ops);
  return body("extr", `${d}, ${n}, ${m}, #${imms}`, ops);
}
