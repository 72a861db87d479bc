// emit: the V registers a lifted function keeps in C locals (rt_v128 v0..v31): which helper ops read and write
// them as values, and their C. Every other helper that names a V register reads the CPU state's copy.
import { conditionNames } from "../config/ir-names.js";
import type { IrOp, IrTerminator } from "../config/module-json.js";
import { condition } from "./c-flags.js";
import { assign, readValue as r } from "./c-names.js";

/** v0..v31: the V registers as names in the register sets of register-sync.ts and liveness.ts. */
export const vectorNames: readonly string[] = Array.from({ length: 32 }, (_, i) => `v${i}`);
const vectorNameSet: ReadonlySet<string> = new Set(vectorNames);
/** A set lookup, as isGuestRegister (register-sync.ts): it runs for every register of every function. */
export const isVectorName = (name: string): boolean => vectorNameSet.has(name);

/**
 * The scalar FP helpers of runtime/core/a64/fp_scalar.h, which take their V operands as values and return the
 * result's bits: the argument positions that are V register numbers, the one written (dropped from the C call,
 * which returns its value), and those read (default: the others).
 */
interface ValueForm {
  vectors: readonly number[];
  write?: number;
  reads?: (args: readonly (string | number)[]) => number[];
  /** The helper returns NZCV, for the function's `fl` local. */
  nzcv?: boolean;
}

const valueForms: Record<string, ValueForm> = {
  fp_arith: { vectors: [2, 3, 4], write: 2 },
  fp_minmax: { vectors: [3, 4, 5], write: 3 },
  fp_muladd: { vectors: [3, 4, 5, 6], write: 3 },
  fp_sign: { vectors: [2, 3], write: 2 },
  fp_sqrt: { vectors: [1, 2], write: 1 },
  fp_frint: { vectors: [3, 4], write: 3 },
  fp_fcvt: { vectors: [2, 3], write: 2 },
  // fcmp with #0.0 has no second register (its field is 0).
  fp_compare: { vectors: [3, 4], reads: (args) => (args[1] === 1 ? [3] : [3, 4]), nzcv: true },
  fp_to_int: { vectors: [5] },
  fp_from_int: { vectors: [5], write: 5 },
};

/** Helper ops written inline on the locals here (c-ops.ts used to call the CPU state's versions). */
const inlineForms: Record<string, ValueForm> = {
  fp_set: { vectors: [0], write: 0, reads: () => [] },
  // fmov v.d[1], x keeps the lower half.
  fp_set_upper: { vectors: [0], write: 0, reads: () => [0] },
  fp_get: { vectors: [0] },
  // fccmp and fcsel: conditions on the `fl` local (register-sync.ts counts them as reading NZCV).
  fp_ccmp: { vectors: [2, 3] },
  fp_csel: { vectors: [1, 2, 3], write: 1 },
  load_vec: { vectors: [2], write: 2, reads: () => [] },
  store_vec: { vectors: [2] },
};

/** Helpers that touch no V register (CRC32, cache maintenance): a set, as readsCpuVectors runs for every helper op. */
const noVectorHelpers: ReadonlySet<string> = new Set(["crc32", "dc_zva", "cache_maintenance"]);

type Fields = Record<string, unknown> & { op: string };
const helperOf = (ir: IrOp | IrTerminator): { fn: string; args: readonly (string | number)[] } | undefined => {
  const op = ir as Fields;
  return op.op === "helper" ? { fn: op.fn as string, args: op.args as (string | number)[] } : undefined;
};
const formOf = (fn: string): ValueForm | undefined => valueForms[fn] ?? inlineForms[fn];

function vectorArg(fn: string, args: readonly (string | number)[], index: number): string {
  const n = args[index];
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 31) throw new Error(`emit: helper ${fn} needs a V register number (0..31) as argument ${index}, not ${JSON.stringify(n)}`);
  return `v${n}`;
}

function readIndices(form: ValueForm, args: readonly (string | number)[]): number[] {
  return form.reads?.(args) ?? form.vectors.filter((index) => index !== form.write);
}

/** The V register locals a helper op reads (before it writes any). */
export function vectorReads(ir: IrOp | IrTerminator): string[] {
  const helper = helperOf(ir);
  const form = helper === undefined ? undefined : formOf(helper.fn);
  if (helper === undefined || form === undefined) return [];
  return readIndices(form, helper.args).map((index) => vectorArg(helper.fn, helper.args, index));
}

/** The V register local a helper op writes (the whole register). */
export function vectorWrites(ir: IrOp): string[] {
  const helper = helperOf(ir);
  const form = helper === undefined ? undefined : formOf(helper.fn);
  if (helper === undefined || form?.write === undefined) return [];
  return [vectorArg(helper.fn, helper.args, form.write)];
}

/** A helper that reads or writes V registers in the CPU state (the vector and crypto helpers): the locals are synced around it. */
export const readsCpuVectors = (ir: IrOp): boolean => {
  const helper = helperOf(ir);
  return helper !== undefined && formOf(helper.fn) === undefined && !noVectorHelpers.has(helper.fn);
};

/** The C of a value-form helper op, or undefined for the others (rt_a64_<fn>(cpu, pc, ...) over the CPU state). */
export function vectorLocalsC(ir: IrOp, pc: string): string[] | undefined {
  const helper = helperOf(ir);
  if (helper === undefined) return undefined;
  const { fn, args } = helper;
  const dst = (ir as Fields).dst as string | undefined;
  if (fn in inlineForms) return inlineC(fn, args, dst, pc);
  const form = valueForms[fn];
  if (form === undefined) return undefined;
  const reads = new Set(readIndices(form, args));
  const values = args.flatMap((arg, index) => {
    if (index === form.write) return [];
    if (form.vectors.includes(index)) return [reads.has(index) ? `${vectorArg(fn, args, index)}.lo` : "UINT64_C(0)"];
    return [typeof arg === "number" ? `${arg}` : r(arg)];
  });
  const call = `rt_a64_${fn}(${["cpu", `UINT64_C(${pc})`, ...values].join(", ")})`;
  if (form.write !== undefined) return [scalarWrite(vectorArg(fn, args, form.write), call)];
  if (form.nzcv === true) return [`rt_nzcv_set(&fl, ${call});`];
  return [dst === undefined ? `${call};` : assign(dst, call)];
}

/** The C of a condition (4-bit encoding) on the `fl` local. */
const holds = (cond: number): string => condition(conditionNames[cond & 15], undefined);

/** A scalar result into a V register: the rest of the register is zeroed. */
const scalarWrite = (v: string, value: string): string => `${v}.lo = ${value}; ${v}.hi = 0;`;

const masks: Record<number, string> = { 1: "UINT64_C(0xff)", 2: "UINT64_C(0xffff)", 4: "UINT64_C(0xffffffff)" };
const lowBytes = (value: string, bytes: number): string => (bytes === 8 ? value : `${value} & ${masks[bytes]}`);

function inlineC(fn: string, args: readonly (string | number)[], dst: string | undefined, pc: string): string[] {
  const v = (index: number): string => vectorArg(fn, args, index);
  const bytesAt = (index: number, allowed: readonly number[]): number => {
    const bytes = args[index];
    if (typeof bytes !== "number" || !allowed.includes(bytes)) throw new Error(`emit: ${fn} at ${pc} needs bytes ${allowed.join(", ")} as argument ${index}, not ${JSON.stringify(args)}`);
    return bytes;
  };
  switch (fn) {
    case "fp_set":
      return [scalarWrite(v(0), lowBytes(r(args[1] as string), bytesAt(2, [2, 4, 8])))];
    case "fp_set_upper":
      return [`${v(0)}.hi = ${r(args[1] as string)};`];
    case "fp_ccmp": {
      const [signalAll, fmt, , , nzcv, cond] = args as number[];
      return [`rt_nzcv_set(&fl, ${holds(cond)} ? rt_a64_fp_compare(cpu, UINT64_C(${pc}), ${signalAll}, 0, ${fmt}, ${v(2)}.lo, ${v(3)}.lo) : ${nzcv}u);`];
    }
    case "fp_csel": {
      const [fmt, , , , cond] = args as number[];
      return [scalarWrite(v(1), lowBytes(`(${holds(cond)} ? ${v(2)}.lo : ${v(3)}.lo)`, fmt === 2 ? 8 : 4))];
    }
    case "fp_get": {
      const bytes = bytesAt(1, [2, 4, 8]);
      const upper = args[2] === 1;
      if (upper && bytes !== 8) throw new Error(`emit: fp_get at ${pc} reads the upper half as 8 bytes only, not ${JSON.stringify(args)}`);
      if (dst === undefined) throw new Error(`emit: fp_get at ${pc} needs a destination register`);
      return [assign(dst, upper ? `${v(0)}.hi` : lowBytes(`${v(0)}.lo`, bytes))];
    }
    default:
      return [guestAccess(fn === "store_vec", r(args[0] as string), r(args[1] as string), v(2), bytesAt(3, [1, 2, 4, 8, 16]), pc)];
  }
}

/**
 * ldr/str of a B, H, S, D or Q register: one guest access of 1..16 bytes like a general register's (memory.h: the
 * access-site table names the instruction and size of a fault), the loaded value zero-extended into the whole
 * register. A Q register goes through a 16-byte temporary, so the local itself never has its address taken.
 */
function guestAccess(store: boolean, addr: string, offset: string, v: string, bytes: number, pc: string): string {
  const at = `${addr} + ${offset}`;
  if (bytes === 16) {
    if (store) return `{ rt_vreg q; q.d[0] = ${v}.lo; q.d[1] = ${v}.hi; rt_guest_st128(mem, ${at}, q.b, ${pc}); }`;
    return `{ rt_vreg q; rt_guest_ld128(mem, ${at}, q.b, ${pc}); ${v}.lo = q.d[0]; ${v}.hi = q.d[1]; }`;
  }
  if (store) return `rt_guest_st${bytes * 8}(mem, ${at}, ${v}.lo, ${pc});`;
  return scalarWrite(v, `rt_guest_ld${bytes * 8}(mem, ${at}, ${pc})`);
}
