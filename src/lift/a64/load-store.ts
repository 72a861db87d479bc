// lift/a64: loads and stores: every addressing form of general and SIMD&FP registers, pairs, literals, exclusives, acquire/release, prfm.
import type { IrOp } from "../../config/module-json.js";
import { bit, field, hex64, irImm, signExtend, target, u64 } from "./bits.js";
import { extendNames, irReg, regName } from "./operands.js";
import { body, type InsnBody, type Word } from "./types.js";

export function decodeLoadStore({ word, pc }: Word): InsnBody | undefined {
  const group = field(word, 29, 27);
  if (bit(word, 26) === 1 && group !== 0b011 && group !== 0b101 && group !== 0b111) return undefined;
  if (group === 0b001 && field(word, 25, 24) === 0) return exclusiveOrdered(word);
  if (group === 0b011 && field(word, 25, 24) === 0) return literal(word, pc);
  if (group === 0b101) return pair(word);
  if (group === 0b111) return register(word);
  return undefined;
}

const sizeSuffix = ["b", "h", "", ""];
const loadOps = ["load_i8", "load_i16", "load_i32", "load_i64"] as const;
const storeOps = ["store_i8", "store_i16", "store_i32", "store_i64"] as const;

function exclusiveOrdered(word: number): InsnBody | undefined {
  const size = field(word, 31, 30);
  const ordered = bit(word, 23) === 1;
  const load = bit(word, 22) === 1;
  const rs = field(word, 20, 16);
  const acquireRelease = bit(word, 15) === 1;
  const rn = field(word, 9, 5);
  const rt = field(word, 4, 0);
  if (bit(word, 21) !== 0 || field(word, 14, 10) !== 31) return undefined;
  if ((load || ordered) && rs !== 31) return undefined;
  const t = regName(rt, size === 3, false);
  const address = `[${regName(rn, true, true)}]`;
  const addr = irReg(rn, true);
  const suffix = sizeSuffix[size];
  if (ordered) {
    if (!acquireRelease) return undefined; // LDLAR/STLLR (LORegions) are not modelled
    if (load) return body(`ldar${suffix}`, `${t}, ${address}`, [{ op: loadOps[size] as string, dst: irReg(rt, false), addr, offset: 0 }]);
    return body(`stlr${suffix}`, `${t}, ${address}`, [{ op: storeOps[size] as string, src: irReg(rt, false), addr, offset: 0 }]);
  }
  const bits = 8 << size;
  if (load) {
    return body(`ld${acquireRelease ? "a" : ""}xr${suffix}`, `${t}, ${address}`, [
      { op: `load_excl_i${bits}`, dst: irReg(rt, false), addr },
    ]);
  }
  return body(`st${acquireRelease ? "l" : ""}xr${suffix}`, `${regName(rs, false, false)}, ${t}, ${address}`, [
    { op: `store_excl_i${bits}`, status: irReg(rs, false), src: irReg(rt, false), addr },
  ]);
}

function literal(word: number, pc: bigint): InsnBody | undefined {
  const opc = field(word, 31, 30);
  const rt = field(word, 4, 0);
  const to = u64(pc + signExtend(field(word, 23, 5) << 2, 21));
  const ops: IrOp[] = [{ op: "const_i64", dst: "t0", imm: hex64(to) }];
  if (bit(word, 26) === 1) {
    if (opc === 3) return undefined;
    const bytes = 4 << opc;
    ops.push(vectorAccess(false, rt, bytes, "t0", 0));
    return body("ldr", `${vectorRegName(rt, bytes)}, ${target(to)}`, ops);
  }
  if (opc === 3) {
    ops.push({ op: "prefetch", addr: "t0", offset: 0 });
    return body("prfm", `${prefetchName(rt)}, ${target(to)}`, ops);
  }
  const op = ["load_i32", "load_i64", "load_s32_i64"][opc];
  ops.push({ op, dst: irReg(rt, false), addr: "t0", offset: 0 });
  return body(opc === 2 ? "ldrsw" : "ldr", `${regName(rt, opc !== 0, false)}, ${target(to)}`, ops);
}

function prefetchName(rt: number): string {
  const type = ["pld", "pli", "pst"][rt >> 3];
  const level = rt >> 1 & 3;
  if (type === undefined || level === 3) return `#0x${rt.toString(16).padStart(2, "0")}`;
  return `${type}l${level + 1}${rt & 1 ? "strm" : "keep"}`;
}

function pair(word: number): InsnBody | undefined {
  const opc = field(word, 31, 30);
  const mode = field(word, 25, 23); // 0 no-allocate, 1 post-index, 2 offset, 3 pre-index
  const load = bit(word, 22) === 1;
  const vector = bit(word, 26) === 1;
  if (mode > 3 || opc === 3 || (!vector && opc === 1 && (!load || mode === 0))) return undefined;
  const is64 = opc === 2;
  const scale = vector ? 4 << opc : is64 ? 8 : 4;
  const offset = Number(signExtend(field(word, 21, 15), 7)) * scale;
  const [rt2, rn, rt] = [field(word, 14, 10), field(word, 9, 5), field(word, 4, 0)];
  // Writeback onto a transferred register is UNPREDICTABLE: objdump rejects it, and so do we.
  if (!vector && (mode === 1 || mode === 3) && rn !== 31 && (rn === rt || rn === rt2)) return undefined;
  const name = `${load ? "ld" : "st"}${mode === 0 ? "np" : "p"}${opc === 1 && !vector ? "sw" : ""}`;
  const base = irReg(rn, true);
  const ops: IrOp[] = [
    mode === 1 || offset === 0
      ? { op: "mov_i64", dst: "t0", src: base }
      : { op: "add_i64", dst: "t0", lhs: base, rhs: irImm(offset) },
  ];
  const access = (reg: number, at: number): IrOp => {
    if (vector) return vectorAccess(!load, reg, scale, "t0", at);
    if (!load) return { op: is64 ? "store_i64" : "store_i32", src: irReg(reg, false), addr: "t0", offset: at };
    const op = opc === 1 ? "load_s32_i64" : is64 ? "load_i64" : "load_i32";
    return { op, dst: irReg(reg, false), addr: "t0", offset: at };
  };
  ops.push(access(rt, 0), access(rt2, scale));
  if (mode === 3) ops.push({ op: "mov_i64", dst: base, src: "t0" });
  if (mode === 1) ops.push({ op: "add_i64", dst: base, lhs: "t0", rhs: irImm(offset) });
  const regs = vector
    ? `${vectorRegName(rt, scale)}, ${vectorRegName(rt2, scale)}`
    : `${regName(rt, opc !== 0, false)}, ${regName(rt2, opc !== 0, false)}`;
  return body(name, `${regs}, ${addressText(rn, mode, offset)}`, ops);
}

/** "[xn, #off]", "[xn]", "[xn], #off" (post-index) or "[xn, #off]!" (pre-index). */
function addressText(rn: number, mode: number, offset: number): string {
  const n = regName(rn, true, true);
  if (mode === 1) return `[${n}], #${offset}`;
  if (mode === 3) return `[${n}, #${offset}]!`;
  return offset === 0 ? `[${n}]` : `[${n}, #${offset}]`;
}

/** A SIMD&FP register load or store of 1..16 bytes: a load zeroes the register's other bytes. */
function vectorAccess(store: boolean, vt: number, bytes: number, addr: string, offset: number): IrOp {
  return { op: "helper", fn: store ? "store_vec" : "load_vec", args: [addr, irImm(offset), vt, bytes] };
}

/** b0, h0, s0, d0 or q0 for an access of 1, 2, 4, 8 or 16 bytes. */
export function vectorRegName(n: number, bytes: number): string {
  return `${({ 1: "b", 2: "h", 4: "s", 8: "d", 16: "q" } as Record<number, string>)[bytes]}${n}`;
}

interface Access {
  /** Mnemonic parts: "st"/"ld" + form + suffix, e.g. "ld" "ur" "sb" = ldursb. */
  prefix: string;
  suffix: string;
  op: string;
  is64: boolean;
  store: boolean;
  prefetch: boolean;
  /** Bytes of a SIMD&FP register access; 0 for a general register. */
  vectorBytes: number;
}

function vectorAccessOf(size: number, opc: number): Access | undefined {
  const bytes = opc >= 2 ? (size === 0 ? 16 : 0) : 1 << size;
  if (bytes === 0) return undefined;
  const store = (opc & 1) === 0;
  return { prefix: store ? "st" : "ld", suffix: "", op: "", is64: true, store, prefetch: false, vectorBytes: bytes };
}

/** Every (vector, size, opc) combination's access, made once: decoding a million loads and stores reuses them. */
const accesses: (Access | undefined)[] = Array.from({ length: 32 }, (_, i) => makeAccess((i >> 2) & 3, i & 3, i >= 16));

function accessOf(size: number, opc: number, vector: boolean): Access | undefined {
  return accesses[(vector ? 16 : 0) | (size << 2) | opc];
}

function makeAccess(size: number, opc: number, vector: boolean): Access | undefined {
  if (vector) return vectorAccessOf(size, opc);
  const common = { store: opc === 0, prefetch: false, vectorBytes: 0 };
  if (opc === 0) return { ...common, prefix: "st", suffix: sizeSuffix[size], op: storeOps[size], is64: size === 3 };
  if (opc === 1) return { ...common, prefix: "ld", suffix: sizeSuffix[size], op: loadOps[size], is64: size === 3 };
  if (size === 3) return opc === 2 ? { ...common, prefix: "pr", suffix: "", op: "prefetch", is64: true, prefetch: true } : undefined;
  if (size === 2) return opc === 2 ? { ...common, prefix: "ld", suffix: "sw", op: "load_s32_i64", is64: true } : undefined;
  const narrow = size === 0 ? "8" : "16";
  const is64 = opc === 2;
  return { ...common, prefix: "ld", suffix: `s${sizeSuffix[size]}`, op: `load_s${narrow}_i${is64 ? 64 : 32}`, is64 };
}

function accessOp(access: Access, rt: number, addr: string, offset: number): IrOp {
  if (access.vectorBytes > 0) return vectorAccess(access.store, rt, access.vectorBytes, addr, offset);
  if (access.prefetch) return { op: "prefetch", addr, offset };
  if (access.store) return { op: access.op, src: irReg(rt, false), addr, offset };
  return { op: access.op, dst: irReg(rt, false), addr, offset };
}

function register(word: number): InsnBody | undefined {
  const size = field(word, 31, 30);
  const opc = field(word, 23, 22);
  const access = accessOf(size, opc, bit(word, 26) === 1);
  if (access === undefined) return undefined;
  const rn = field(word, 9, 5);
  const rt = field(word, 4, 0);
  const base = irReg(rn, true);
  const scale = access.vectorBytes > 0 ? Math.log2(access.vectorBytes) : size;
  const t = access.prefetch ? prefetchName(rt) : access.vectorBytes > 0 ? vectorRegName(rt, access.vectorBytes) : regName(rt, access.is64, false);
  const name = (form: string) => (access.prefetch ? `prf${form === "r" ? "m" : "um"}` : `${access.prefix}${form}${access.suffix}`);
  if (bit(word, 24) === 1) {
    const offset = field(word, 21, 10) << scale;
    return body(name("r"), `${t}, ${addressText(rn, 2, offset)}`, [accessOp(access, rt, base, offset)]);
  }
  if (bit(word, 21) === 1) return field(word, 11, 10) === 2 ? registerOffset(word, access, name("r"), t, scale) : undefined;
  const offset = Number(signExtend(field(word, 20, 12), 9));
  const mode = field(word, 11, 10);
  if (mode === 0) return body(name("ur"), `${t}, ${addressText(rn, 2, offset)}`, [accessOp(access, rt, base, offset)]);
  if (access.prefetch) return undefined;
  if (mode === 2 && access.vectorBytes > 0) return undefined;
  if (mode === 2) return body(name("tr"), `${t}, ${addressText(rn, 2, offset)}`, [accessOp(access, rt, base, offset)]);
  const pre = mode === 3;
  const ops: IrOp[] = [
    pre ? { op: "add_i64", dst: "t0", lhs: base, rhs: irImm(offset) } : { op: "mov_i64", dst: "t0", src: base },
    accessOp(access, rt, "t0", 0),
    pre ? { op: "mov_i64", dst: base, src: "t0" } : { op: "add_i64", dst: base, lhs: "t0", rhs: irImm(offset) },
  ];
  return body(name("r"), `${t}, ${addressText(rn, pre ? 3 : 1, offset)}`, ops);
}

function registerOffset(word: number, access: Access, name: string, t: string, scale: number): InsnBody | undefined {
  const option = field(word, 15, 13);
  if ((option & 2) === 0) return undefined;
  const scaled = bit(word, 12) === 1;
  const amount = scaled ? scale : 0;
  const rm = field(word, 20, 16);
  const rn = field(word, 9, 5);
  const rt = field(word, 4, 0);
  const ops: IrOp[] = [];
  const src = irReg(rm, false);
  if (option === 2 || option === 6) ops.push({ op: option === 6 ? "sext_i64" : "zext_i64", dst: "t0", src, bits: 32 });
  else ops.push({ op: "mov_i64", dst: "t0", src });
  if (amount !== 0) ops.push({ op: "lsl_i64", dst: "t0", lhs: "t0", rhs: irImm(amount) });
  ops.push({ op: "add_i64", dst: "t0", lhs: irReg(rn, true), rhs: "t0" }, accessOp(access, rt, "t0", 0));
  const m = regName(rm, (option & 1) === 1, false);
  const ext = option === 3 ? (scaled ? `, lsl #${amount}` : "") : `, ${extendNames[option] as string}${scaled ? ` #${amount}` : ""}`;
  return body(name, `${t}, [${regName(rn, true, true)}, ${m}${ext}]`, ops);
}
