// emit: one IR op or terminator to C statements with exact A64 semantics (helpers in runtime/core/cpu.h).
import type { IrOp, IrTerminator } from "../config/module-json.js";
import { condition, type FlagSource, nzcvValue } from "./c-flags.js";
import { assign, cString, functionIdent, readValue as r } from "./c-names.js";
import type { CallEffects } from "./call-effects.js";
import { endsFlagSource, flagsName, helperWritesFlags, opWrites, syncKind } from "./register-sync.js";
import { vectorLocalsC } from "./vector-locals.js";
import { tableDispatch, tableMiss } from "./shared-dispatch.js";
import { callArgumentList, directCall, passedArguments, reloadedAfterCall, storedBeforeCall } from "./call-abi.js";

/** What emitOp needs from the function around it: the flags' source in this block, and the CPU-state syncs. */
export interface OpContext {
  /** Updated by emitOp: the compare whose operands a following condition may use (undefined: use `fl`). */
  flagSource: FlagSource | undefined;
  /** Stores of the register locals that may differ from the CPU state (only those in `only`, if given), as statements. */
  flush(only?: ReadonlySet<string>): string[];
  /** Loads of the register locals in `only` from the CPU state, of those read again (liveness.ts) only. */
  reload(only: ReadonlySet<string>): string[];
  /**
   * A branch to `target`, with the stores of the registers dirty at the block's end but not at the target's start
   * (dirty-joins.ts), inline or through a shared stub (store-stubs.ts).
   */
  branch(target: string): string;
  /** Set by the caller before each op: whether a compare's operands are read in place (flag-operands.ts). */
  flagOperandsKept: boolean;
  /** Set by the caller before each op: the register locals and `nzcv` read after it (liveness.ts). */
  liveAfter: ReadonlySet<string>;
  /** The registers the code an op runs (callee, kernel, vector helper) may read or write in the CPU state, and change (call-effects.ts). */
  effects: CallEffects;
  /** Set by the caller for a direct call the block ends with when the callee does not return: the trap's reason. */
  noReturn: string | undefined;
  /** What a return stores of the dirty registers (call-abi.ts: storedAtReturn). */
  returnStores: ReadonlySet<string>;
}

const u32 = (expression: string): string => `(uint64_t)(uint32_t)(${expression})`;
const hex = (value: bigint): string => `UINT64_C(0x${value.toString(16)})`;
const ones = (bits: number): bigint => (1n << BigInt(bits)) - 1n;

/** Binary ops: [64-bit form, 32-bit form] as functions of the operand expressions. */
const binary: Record<string, [(a: string, b: string) => string, (a: string, b: string) => string]> = {
  add: [(a, b) => `${a} + ${b}`, (a, b) => u32(`${a} + ${b}`)],
  sub: [(a, b) => `${a} - ${b}`, (a, b) => u32(`${a} - ${b}`)],
  and: [(a, b) => `${a} & ${b}`, (a, b) => u32(`${a} & ${b}`)],
  or: [(a, b) => `${a} | ${b}`, (a, b) => u32(`${a} | ${b}`)],
  xor: [(a, b) => `${a} ^ ${b}`, (a, b) => u32(`${a} ^ ${b}`)],
  lsl: [(a, b) => `${a} << (${b} & 63)`, (a, b) => u32(`(uint32_t)${a} << (${b} & 31)`)],
  lsr: [(a, b) => `${a} >> (${b} & 63)`, (a, b) => u32(`(uint32_t)${a} >> (${b} & 31)`)],
  asr: [(a, b) => `rt_asr64(${a}, (unsigned)(${b} & 63))`, (a, b) => `rt_asr32(${a}, (unsigned)(${b} & 31))`],
  ror: [(a, b) => `rt_ror64(${a}, (unsigned)(${b} & 63))`, (a, b) => `rt_ror32(${a}, (unsigned)(${b} & 31))`],
  mul: [(a, b) => `${a} * ${b}`, (a, b) => u32(`(uint32_t)${a} * (uint32_t)${b}`)],
  udiv: [(a, b) => `rt_udiv64(${a}, ${b})`, (a, b) => `rt_udiv32(${a}, ${b})`],
  sdiv: [(a, b) => `rt_sdiv64(${a}, ${b})`, (a, b) => `rt_sdiv32(${a}, ${b})`],
  adc: [(a, b) => `${a} + ${b} + fl.c`, (a, b) => u32(`${a} + ${b} + fl.c`)],
  sbc: [(a, b) => `${a} + ~${b} + fl.c`, (a, b) => u32(`${a} + ~${b} + fl.c`)],
  adcs: [(a, b) => `rt_addc64(&fl, ${a}, ${b}, fl.c)`, (a, b) => `rt_addc32(&fl, ${a}, ${b}, fl.c)`],
  sbcs: [(a, b) => `rt_addc64(&fl, ${a}, ~${b}, fl.c)`, (a, b) => `rt_addc32(&fl, ${a}, ~${b}, fl.c)`],
  umulh: [(a, b) => `rt_umulh(${a}, ${b})`, (a, b) => `rt_umulh(${a}, ${b})`],
  smulh: [(a, b) => `rt_smulh(${a}, ${b})`, (a, b) => `rt_smulh(${a}, ${b})`],
};

const unary: Record<string, (a: string) => string> = {
  mov_i64: (a) => a,
  mov_i32: (a) => u32(a),
  not_i64: (a) => `~${a}`,
  not_i32: (a) => u32(`~${a}`),
  clz_i64: (a) => `rt_clz64(${a})`,
  clz_i32: (a) => `rt_clz32(${a})`,
  cls_i64: (a) => `rt_cls64(${a})`,
  cls_i32: (a) => `rt_cls32(${a})`,
  rbit_i64: (a) => `rt_rbit64(${a})`,
  rbit_i32: (a) => `rt_rbit32(${a})`,
  rev_i64: (a) => `rt_rev64(${a})`,
  rev_i32: (a) => `rt_rev32(${a})`,
  rev16_i64: (a) => `rt_rev16_64(${a})`,
  rev16_i32: (a) => `rt_rev16_32(${a})`,
  rev32_i64: (a) => `rt_rev32x2(${a})`,
};

/** Flag-setting ops whose operands a later condition can compare directly: the flags' kind, and the result's C on the operands. */
const flagSetters: Record<string, [FlagSource["kind"], (bits: number, a: string, b: string) => string]> = {
  cmp: ["sub", (bits, a, b) => `rt_addc${bits}(&fl, ${a}, ~${b}, 1)`],
  subs: ["sub", (bits, a, b) => `rt_addc${bits}(&fl, ${a}, ~${b}, 1)`],
  cmn: ["add", (bits, a, b) => `rt_addc${bits}(&fl, ${a}, ${b}, 0)`],
  adds: ["add", (bits, a, b) => `rt_addc${bits}(&fl, ${a}, ${b}, 0)`],
  test: ["logic", (bits, a) => `rt_logic_flags${bits}(&fl, ${a})`],
  ands: ["logic", (bits, a) => `rt_logic_flags${bits}(&fl, ${a})`],
};

/** The result of adds/subs/ands without the flags, on the operands as flagSetters' forms take them. */
const plainResults: Record<FlagSource["kind"], (a: string, b: string) => string> = { add: (a, b) => `${a} + ${b}`, sub: (a, b) => `${a} - ${b}`, logic: (a) => a };

/**
 * cmp/cmn/test and adds/subs/ands: flags into `fl` unless no later instruction reads `fl` (a following condition
 * reads the operands): the C then has no flag computation at all. The operands are read in place when no op
 * overwrites them while a condition may read them (ctx.flagOperandsKept), else copied into fl_a/fl_b first (for
 * `ands`, the result).
 */
function flagSetter(op: Fields, base: string, wide: boolean, ctx: OpContext): string[] {
  const [kind, result] = flagSetters[base];
  const lhs = r(op.lhs as string);
  const rhs = r(op.rhs as string);
  const kept = ctx.flagOperandsKept;
  const a = kept ? (kind === "logic" ? `(${lhs} & ${rhs})` : lhs) : "fl_a";
  const b = kept ? rhs : "fl_b";
  const operands = kept ? [] : [kind === "logic" ? `fl_a = ${lhs} & ${rhs};` : `fl_a = ${lhs}; fl_b = ${rhs};`];
  const bits = wide ? 64 : 32;
  ctx.flagSource = { kind, bits, a, b };
  if (!ctx.liveAfter.has(flagsName)) {
    const plain = wide ? plainResults[kind](a, b) : u32(plainResults[kind](a, b));
    return "dst" in op ? [...operands, assign(op.dst as string, wide ? `(${plain})` : plain)] : operands;
  }
  const value = result(bits, a, b);
  return [...operands, "dst" in op ? assign(op.dst as string, value) : `(void)${value};`];
}

/** The flags' source after `op`, as emitOp leaves it in ctx.flagSource. */
export function flagSourceAfter(ir: IrOp, source: FlagSource | undefined): FlagSource | undefined {
  const op = ir as Fields;
  const [base, width] = op.op.split(/_(?=i(?:32|64)$)/) as [string, string | undefined];
  if (base in flagSetters && "lhs" in op) return { kind: flagSetters[base][0], bits: width !== "i32" ? 64 : 32, a: "fl_a", b: "fl_b" };
  if (opWrites(ir).includes(flagsName) || helperWritesFlags(ir) || endsFlagSource(ir)) return undefined;
  return source;
}

const loads: Record<string, [number, number | undefined, boolean]> = {
  load_i8: [8, undefined, false],
  load_i16: [16, undefined, false],
  load_i32: [32, undefined, false],
  load_i64: [64, undefined, false],
  load_s8_i32: [8, 8, true],
  load_s16_i32: [16, 16, true],
  load_s8_i64: [8, 8, false],
  load_s16_i64: [16, 16, false],
  load_s32_i64: [32, 32, false],
};

/** The C address expression of addr + offset (offsets are small signed integers). */
function address(addr: string, offset: number): string {
  if (offset === 0) return r(addr);
  return offset > 0 ? `${r(addr)} + UINT64_C(${offset})` : `${r(addr)} - UINT64_C(${-offset})`;
}

type Fields = Record<string, unknown> & { op: string };

/** C statements of one op; `pc` is the guest address of the instruction it belongs to. */
export function emitOp(ir: IrOp, pc: string, ctx: OpContext): string[] {
  const op = ir as Fields;
  const s = (key: string): string => op[key] as string;
  const n = (key: string): number => op[key] as number;
  const name = op.op;
  const pcHex = `UINT64_C(${pc})`;
  const [base, width] = name.split(/_(?=i(?:32|64)$)/) as [string, string | undefined];
  const wide = width !== "i32";
  if (name === "insn" || name === "prefetch") return [];
  if (base in flagSetters && "lhs" in op) return flagSetter(op, base, wide, ctx);
  const flagSource = ctx.flagSource;
  // Any other write of NZCV (and a reload after a call) ends what a condition may read from fl_a/fl_b.
  ctx.flagSource = flagSourceAfter(ir, flagSource);
  if (name === "const_i64") return [assign(s("dst"), `UINT64_C(${s("imm")})`)];
  if (base in binary && "lhs" in op && "dst" in op) {
    const forms = binary[base] as [(a: string, b: string) => string, (a: string, b: string) => string];
    return [assign(s("dst"), forms[wide ? 0 : 1](r(s("lhs")), r(s("rhs"))))];
  }
  if (name in unary) return [assign(s("dst"), (unary[name])(r(s("src"))))];
  if (name === "sext_i64") return [assign(s("dst"), `rt_sext(${r(s("src"))}, ${n("bits")})`)];
  if (name === "zext_i64") return [assign(s("dst"), `${r(s("src"))} & ${hex(ones(n("bits")))}`)];
  if (base === "ubfm" || base === "sbfm" || base === "bfm") return [assign(s("dst"), bitfield(base, wide ? 64 : 32, s("src"), s("dst"), n("immr"), n("imms")))];
  if (base === "extr") return [assign(s("dst"), extract(wide, r(s("hi")), r(s("lo")), n("lsb")))];
  if (base === "csel" || base === "csinc" || base === "csinv" || base === "csneg") {
    const b = r(s("rhs"));
    const other = { csel: b, csinc: `${b} + 1`, csinv: `~${b}`, csneg: `-${b}` }[base];
    const value = `${condition(s("cond"), ctx.flagSource)} ? ${r(s("lhs"))} : ${other}`;
    return [assign(s("dst"), wide ? `(${value})` : u32(value))];
  }
  if (base === "ccmp" || base === "ccmn") {
    const bits = wide ? "64" : "32";
    const b = base === "ccmp" ? `~${r(s("rhs"))}, 1` : `${r(s("rhs"))}, 0`;
    const holds = condition(s("cond"), flagSource);
    return [`if (${holds}) (void)rt_addc${bits}(&fl, ${r(s("lhs"))}, ${b}); else rt_nzcv_set(&fl, ${n("nzcv")}u);`];
  }
  const load = loads[name];
  if (load !== undefined) {
    const [bits, extend, narrow] = load;
    // The guest access macros take the pc as a plain literal: it is also written into the access-site table.
    let value = `rt_guest_ld${bits}(mem, ${address(s("addr"), n("offset"))}, ${pc})`;
    if (extend !== undefined) value = `rt_sext(${value}, ${extend})`;
    return [assign(s("dst"), narrow ? u32(value) : value)];
  }
  if (name.startsWith("store_i")) return [`rt_guest_st${name.slice(7)}(mem, ${address(s("addr"), n("offset"))}, ${r(s("src"))}, ${pc});`];
  if (name.startsWith("load_excl_i")) {
    return [
      `{ uint64_t address = ${r(s("addr"))}; cpu->exclusive_addr = address; cpu->exclusive_valid = 1; ${assign(s("dst"), `rt_ld${name.slice(11)}(address, ${pcHex})`)} }`,
    ];
  }
  if (name.startsWith("store_excl_i")) {
    return [
      `{ uint64_t address = ${r(s("addr"))}, value = ${r(s("src"))}; uint64_t failed = rt_store_exclusive(cpu, address); if (!failed) rt_st${name.slice(12)}(address, value, ${pcHex}); ${assign(s("status"), "failed")} }`,
    ];
  }
  if (name === "clrex") return ["cpu->exclusive_valid = 0;"];
  const atomic = atomicOp(op, pcHex);
  if (atomic !== undefined) return [atomic];
  if (name === "sysreg_read") return [assign(s("dst"), systemRegisterRead(s("reg"), pcHex))];
  if (name === "sysreg_write") return [systemRegisterWrite(s("reg"), r(s("src")), pcHex)];
  const touched = ctx.effects.touched(ir) ?? new Set<string>();
  const changed = ctx.effects.changed(ir) ?? new Set<string>();
  if (name === "svc") return [...ctx.flush(touched), `rt_guest_svc(cpu, ${n("imm")}u, ${pcHex});`, ...ctx.reload(changed)];
  if (name === "helper") {
    // A helper over the CPU state's V registers sees the locals stored first and reloaded after (vector-locals.ts).
    const sync = syncKind(ir) === "full";
    const call = vectorLocalsC(ir, pc) ?? [helperCall(op.fn as string, op.args as (string | number)[], op.dst as string | undefined, pcHex)];
    return [...(sync ? ctx.flush(touched) : []), ...call, ...(sync ? ctx.reload(changed) : [])];
  }
  if (name === "call") return directCallC(ir, s("addr"), `UINT64_C(${s("ret")})`, pcHex, ctx);
  if (name === "call_indirect") {
    // The target is read before x30 is written: blr x30 calls the old value.
    const ret = `UINT64_C(${s("ret")})`;
    const invoke = `rt_call_indirect(cpu, target, ${pcHex}); }`;
    return [`{ uint64_t target = ${r(s("src"))};`, `x30 = ${ret};`, ...ctx.flush(touched), invoke, ...ctx.reload(changed), `if (cpu->pc != ${ret}) rt_bad_return(cpu->pc, ${ret}, ${pcHex});`];
  }
  throw new Error(`emit: no C for op ${name}`);
}

/**
 * A direct call (call-abi.ts): x30 written, the dirty registers the callee needs from the CPU state stored, the
 * arguments passed and x0 and the returned address taken from its C result, what it may have changed reloaded.
 */
function directCallC(op: IrOp, address: string, ret: string, pcHex: string, ctx: OpContext): string[] {
  // One runtime call that never returns: the function keeps no value across it (no callee-saved host register).
  // It runs the callee as the runtime does (rt_invoke), with every register it may touch in the CPU state.
  if (ctx.noReturn !== undefined) {
    return [`x30 = ${ret};`, ...ctx.flush(ctx.effects.touched(op)), `rt_call_no_return(cpu, ${functionIdent(address)}, ${ret}, ${pcHex}, ${cString(ctx.noReturn)});`];
  }
  const call = `rt_return result = ${functionIdent(address)}(${callArgumentList(passedArguments(op, ctx.effects))});`;
  const check = `if (result.pc != ${ret}) rt_bad_return(result.pc, ${ret}, ${pcHex});`;
  return [`x30 = ${ret};`, ...ctx.flush(storedBeforeCall(op, ctx.effects)), `{ ${call}`, ...ctx.reload(reloadedAfterCall(op, ctx.effects)), `x0 = result.x0; ${check} }`];
}

/**
 * Exclusive pairs and LSE atomics (runtime/core/a64/atomics.h). Every input is read into a local before any
 * register is written, so a destination may also be a source.
 */
function atomicOp(op: Fields, pcHex: string): string | undefined {
  const value = (key: string): string => r(op[key] as string);
  const pair = (key: string): [string, string] => (op[key] as [string, string]).map(r) as [string, string];
  const bits = op.bits as number;
  const address = (): string => `uint64_t address = ${value("addr")}`;
  const results = (dst: [string, string]): string => `${assign(dst[0], "result[0]")} ${assign(dst[1], "result[1]")}`;
  switch (op.op) {
    case "load_excl_pair":
      return `{ ${address()}, result[2]; rt_load_exclusive_pair(cpu, address, ${bits}, result, ${pcHex}); ${results(op.dst as [string, string])} }`;
    case "store_excl_pair": {
      const [a, b] = pair("src");
      const store = `if (!failed) rt_store_pair(address, ${bits}, value0, value1, ${pcHex});`;
      return `{ ${address()}, value0 = ${a}, value1 = ${b}; uint64_t failed = rt_store_exclusive(cpu, address); ${store} ${assign(op.status as string, "failed")} }`;
    }
    case "atomic_rmw": {
      const operation = `RT_ATOMIC_${(op.operation as string).toUpperCase()}`;
      return assign(op.dst as string, `rt_atomic_rmw(cpu, ${value("addr")}, ${value("src")}, ${bits}, ${operation}, ${pcHex})`);
    }
    case "atomic_cas":
      return assign(op.dst as string, `rt_atomic_cas(cpu, ${value("addr")}, ${value("expected")}, ${value("src")}, ${bits}, ${pcHex})`);
    case "atomic_casp": {
      const [e0, e1] = pair("expected");
      const [s0, s1] = pair("src");
      return `{ ${address()}, result[2]; rt_atomic_casp(cpu, address, ${bits}, ${e0}, ${e1}, ${s0}, ${s1}, result, ${pcHex}); ${results(op.dst as [string, string])} }`;
    }
    default:
      return undefined;
  }
}

/** The value mrs reads. ctr_el0 and dczid_el0 are the Switch's Cortex-A57's (64-byte lines, dc zva on 64 bytes). */
function systemRegisterRead(reg: string, pcHex: string): string {
  const values: Record<string, string> = {
    tpidr_el0: "cpu->tpidr_el0",
    tpidrro_el0: "cpu->tpidrro_el0",
    cntvct_el0: "rt_counter()",
    cntpct_el0: "rt_counter()",
    cntfrq_el0: "rt_counter_frequency()",
    ctr_el0: "UINT64_C(0x8444c004)",
    dczid_el0: "UINT64_C(0x4)",
    fpcr: `rt_a64_read_fpcr(cpu, ${pcHex})`,
    fpsr: `rt_a64_read_fpsr(cpu, ${pcHex})`,
    nzcv: nzcvValue,
  };
  return values[reg];
}

function systemRegisterWrite(reg: string, value: string, pcHex: string): string {
  if (reg === "fpcr" || reg === "fpsr") return `rt_a64_write_${reg}(cpu, ${pcHex}, ${value});`;
  if (reg === "nzcv") return `rt_nzcv_set(&fl, (unsigned)(${value} >> 28) & 15u);`;
  return `cpu->tpidr_el0 = ${value};`;
}

/** rt_a64_<fn>(cpu, pc, args...): registers and immediates as values, integers as int constants. */
function helperCall(fn: string, args: readonly (string | number)[], dst: string | undefined, pcHex: string): string {
  const values = args.map((arg) => (typeof arg === "number" ? `${arg}` : r(arg)));
  const call = `rt_a64_${fn}(${["cpu", pcHex, ...values].join(", ")})`;
  return dst === undefined ? `${call};` : assign(dst, call);
}

/** ubfm/sbfm/bfm with constant immr/imms, as the architecture's DecodeBitMasks defines them. */
function bitfield(kind: string, size: number, srcReg: string, dstReg: string, immr: number, imms: number): string {
  const src = size === 32 ? `(uint64_t)(uint32_t)${r(srcReg)}` : r(srcReg);
  const sizeMask = ones(size);
  const within = imms >= immr;
  const bits = within ? imms - immr + 1 : imms + 1;
  const position = within ? 0 : size - immr;
  const field = within ? (immr === 0 ? src : `(${src} >> ${immr})`) : src;
  const mask = hex(ones(bits));
  const shifted = (value: string): string => (position === 0 ? value : `((${value}) << ${position})`);
  let value: string;
  if (kind === "ubfm") value = shifted(`${field} & ${mask}`);
  else if (kind === "sbfm") value = shifted(`rt_sext(${field}, ${bits})`);
  else value = `(${r(dstReg)} & ${hex(~(ones(bits) << BigInt(position)) & sizeMask)}) | ${shifted(`${field} & ${mask}`)}`;
  return size === 32 ? u32(value) : `(${value})`;
}

function extract(wide: boolean, hi: string, lo: string, lsb: number): string {
  if (wide) return lsb === 0 ? lo : `(${lo} >> ${lsb}) | (${hi} << ${64 - lsb})`;
  return lsb === 0 ? u32(lo) : u32(`((uint32_t)${lo} >> ${lsb}) | ((uint32_t)${hi} << ${32 - lsb})`);
}

/** C statements that end a block. */
export function emitTerminator(terminator: IrTerminator, pc: string, ctx: OpContext): string[] {
  const pcHex = `UINT64_C(${pc})`;
  switch (terminator.op) {
    case "br":
      return [ctx.branch(terminator.target)];
    case "br_cond":
      return [`if (${condition(terminator.cond, ctx.flagSource)}) ${ctx.branch(terminator.then)}`, ctx.branch(terminator.else)];
    case "br_test": {
      const value = terminator.width === 32 ? `(uint32_t)${r(terminator.src)}` : r(terminator.src);
      const test = {
        zero: `${value} == 0`,
        nonzero: `${value} != 0`,
        bit_set: `(${r(terminator.src)} >> ${terminator.bit ?? 0}) & 1`,
        bit_clear: `!((${r(terminator.src)} >> ${terminator.bit ?? 0}) & 1)`,
      }[terminator.test];
      return [`if (${test}) ${ctx.branch(terminator.then)}`, ctx.branch(terminator.else)];
    }
    case "tail_call": {
      const callee = directCall(terminator.addr);
      const stores = new Set([...storedBeforeCall(callee, ctx.effects), ...ctx.returnStores]);
      return [...ctx.flush(stores), `return ${functionIdent(terminator.addr)}(${callArgumentList(passedArguments(callee, ctx.effects))});`];
    }
    case "br_indirect":
      // A table other branches of the function share goes through one shared block instead (shared-dispatch.ts).
      return tableDispatch(r(terminator.src), terminator.table, tableMiss(terminator, r(terminator.src), pcHex, () => ctx.flush()));
    case "ret":
      return [...ctx.flush(ctx.returnStores), `return (rt_return){${r(terminator.src)}, x0};`];
    case "trap":
      return [`rt_trap(${cString(trapReason(terminator))}, UINT64_C(${terminator.pc}));`];
  }
}

/** What a trap reports; the lift's reasons for unsupported instructions already name the word (lift-report.ts). */
function trapReason(terminator: IrTerminator & { op: "trap" }): string {
  const word = terminator.word === undefined ? undefined : `0x${BigInt(terminator.word).toString(16).padStart(8, "0")}`;
  return word === undefined || terminator.reason.includes(word) ? terminator.reason : `${terminator.reason} (word ${terminator.word})`;
}

/**
 * The trap's reason when the block ends with a direct call whose callee does not return (the lift's trap at the
 * return address follows it): the call is then emitted as rt_call_no_return, and the trap with it.
 */
export function noReturnCallReason(ops: readonly IrOp[], terminator: IrTerminator): string | undefined {
  const last = ops.at(-1) as Fields | undefined;
  if (terminator.op !== "trap" || last?.op !== "call" || last.ret !== terminator.pc) return undefined;
  return trapReason(terminator);
}
