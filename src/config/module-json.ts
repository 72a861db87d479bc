// config: module.json, the lifted IR (docs/ir.md): segments plus functions made of blocks of ops.
// In the file an op or terminator is an array, its name then its fields in the order of its object
// schema below; the schemas read it into the object the rest of recomp uses (IrOp, IrTerminator).
import { z } from "zod";

/** The IR revision module.json's `ir_version` names: 2 = ops and terminators as arrays (docs/ir.md). */
export const irVersion = 2 as const;

/** A 64-bit value written as lowercase hex, e.g. "0x7100000000": JSON numbers lose bits above 2^53. */
export const hex64 = z.string().regex(/^0x[0-9a-f]{1,16}$/, 'must be lowercase hex like "0x1f"');

/** Guest registers x0..x30, sp, xzr (reads 0, writes vanish) and per-instruction temporaries t0..t7. */
export const irRegister = z
  .string()
  .regex(/^(x([0-9]|[12][0-9]|30)|sp|xzr|t[0-7])$/, "must be x0..x30, sp, xzr or a temporary t0..t7");
/** A register or an immediate "#0x..." (an unsigned 64-bit value in hex). */
export const irValue = z
  .string()
  .regex(/^(x([0-9]|[12][0-9]|30)|sp|xzr|t[0-7]|#0x[0-9a-f]{1,16})$/, 'must be a register or an immediate like "#0x10"');

export const conditionNames = [
  "eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "nv",
] as const;
const condition = z.enum(conditionNames);

const widths = ["i32", "i64"] as const;
const sized = <T extends string>(names: readonly T[]): string[] =>
  names.flatMap((name) => widths.map((width) => `${name}_${width}`));

/** dst = lhs OP rhs. The _i32 forms use the low 32 bits of their inputs and zero-extend the result. */
export const binaryOpNames = sized([
  "add", "sub", "and", "or", "xor", "lsl", "lsr", "asr", "ror", "mul", "udiv", "sdiv",
  "adds", "subs", "ands", "adc", "sbc", "adcs", "sbcs",
] as const).concat(["umulh_i64", "smulh_i64"]);
/** dst = OP src. */
export const unaryOpNames = sized(["mov", "not", "clz", "cls", "rbit", "rev", "rev16"] as const).concat(["rev32_i64"]);
/** Flags only: cmp (lhs - rhs), cmn (lhs + rhs), test (lhs & rhs). */
export const compareOpNames = sized(["cmp", "cmn", "test"] as const);
export const bitfieldOpNames = sized(["ubfm", "sbfm", "bfm"] as const);
export const selectOpNames = sized(["csel", "csinc", "csinv", "csneg"] as const);
export const condCompareOpNames = sized(["ccmp", "ccmn"] as const);
export const extendOpNames = ["sext_i64", "zext_i64"] as const;
/** Loads zero-extend into the 64-bit register unless named load_sN_iM (sign-extend N bits to M). */
export const loadOpNames = [
  "load_i8", "load_i16", "load_i32", "load_i64",
  "load_s8_i32", "load_s16_i32", "load_s8_i64", "load_s16_i64", "load_s32_i64",
] as const;
export const storeOpNames = ["store_i8", "store_i16", "store_i32", "store_i64"] as const;
export const exclusiveLoadOpNames = ["load_excl_i8", "load_excl_i16", "load_excl_i32", "load_excl_i64"] as const;
export const exclusiveStoreOpNames = ["store_excl_i8", "store_excl_i16", "store_excl_i32", "store_excl_i64"] as const;
/** The read-modify-write operations of the LSE atomics (ldadd, ldclr, ldeor, ldset, ldsmax, ldsmin, ldumax, ldumin, swp). */
export const atomicOperationNames = ["add", "clr", "eor", "set", "smax", "smin", "umax", "umin", "swp"] as const;
const accessBits = z.union([z.literal(8), z.literal(16), z.literal(32), z.literal(64)]);
const pairBits = z.union([z.literal(32), z.literal(64)]);
const registerPair = z.tuple([irRegister, irRegister]);
const valuePair = z.tuple([irValue, irValue]);
export const systemRegisterNames = [
  "tpidr_el0", "tpidrro_el0", "cntvct_el0", "cntpct_el0", "cntfrq_el0", "ctr_el0", "dczid_el0", "fpcr", "fpsr", "nzcv",
] as const;
/** The system registers a user-mode program may write. */
export const writableSystemRegisterNames = ["tpidr_el0", "fpcr", "fpsr", "nzcv"] as const;
/** A runtime semantics helper's name: the C function rt_a64_<fn> in runtime/core/a64/. */
export const helperName = z.string().regex(/^[a-z][a-z0-9_]*$/, "must be a lowercase C identifier");
/** A helper argument: a general register or 64-bit immediate (as elsewhere), or a small integer (a V register number, a size, a lane). */
export const helperArgument = z.union([irValue, z.number().int().min(-(2 ** 31)).max(2 ** 32 - 1)]);

const opEnum = (names: readonly string[]) => z.enum(names as [string, ...string[]]);

const opSchemas = [
  /** Marks the start of one guest instruction; the ops after it implement it. */
  z.strictObject({ op: z.literal("insn"), pc: hex64, word: hex64, asm: z.string() }),
  z.strictObject({ op: z.literal("const_i64"), dst: irRegister, imm: hex64 }),
  z.strictObject({ op: opEnum(binaryOpNames), dst: irRegister, lhs: irValue, rhs: irValue }),
  z.strictObject({ op: opEnum(unaryOpNames), dst: irRegister, src: irValue }),
  z.strictObject({ op: opEnum(compareOpNames), lhs: irValue, rhs: irValue }),
  z.strictObject({ op: opEnum(extendOpNames), dst: irRegister, src: irValue, bits: z.union([z.literal(8), z.literal(16), z.literal(32)]) }),
  z.strictObject({ op: opEnum(bitfieldOpNames), dst: irRegister, src: irValue, immr: z.number().int().min(0).max(63), imms: z.number().int().min(0).max(63) }),
  z.strictObject({ op: z.enum(["extr_i32", "extr_i64"]), dst: irRegister, hi: irValue, lo: irValue, lsb: z.number().int().min(0).max(63) }),
  z.strictObject({ op: opEnum(selectOpNames), dst: irRegister, cond: condition, lhs: irValue, rhs: irValue }),
  z.strictObject({ op: opEnum(condCompareOpNames), lhs: irValue, rhs: irValue, cond: condition, nzcv: z.number().int().min(0).max(15) }),
  z.strictObject({ op: opEnum(loadOpNames), dst: irRegister, addr: irRegister, offset: z.number().int() }),
  z.strictObject({ op: opEnum(storeOpNames), src: irValue, addr: irRegister, offset: z.number().int() }),
  z.strictObject({ op: opEnum(exclusiveLoadOpNames), dst: irRegister, addr: irRegister }),
  z.strictObject({ op: opEnum(exclusiveStoreOpNames), status: irRegister, src: irValue, addr: irRegister }),
  z.strictObject({ op: z.literal("clrex") }),
  /** ldxp/ldaxp: two `bits`-wide values at addr and addr + bits/8; marks addr in the exclusive monitor. */
  z.strictObject({ op: z.literal("load_excl_pair"), bits: pairBits, dst: registerPair, addr: irRegister }),
  /** stxp/stlxp: stores the pair when the monitor holds addr; status 0 = stored, 1 = not; clears the monitor. */
  z.strictObject({ op: z.literal("store_excl_pair"), bits: pairBits, status: irRegister, src: valuePair, addr: irRegister }),
  /** LSE ld<op>/st<op>/swp: dst = the old `bits` at addr (zero-extended); memory = operation(old, src). */
  z.strictObject({ op: z.literal("atomic_rmw"), operation: z.enum(atomicOperationNames), bits: accessBits, dst: irRegister, src: irValue, addr: irRegister }),
  /** cas: dst = the old `bits` at addr; memory = src when the old value equals the low bits of expected. */
  z.strictObject({ op: z.literal("atomic_cas"), bits: accessBits, dst: irRegister, expected: irValue, src: irValue, addr: irRegister }),
  /** casp: cas of a pair of `bits`-wide values (first at addr), compared and replaced together. */
  z.strictObject({ op: z.literal("atomic_casp"), bits: pairBits, dst: registerPair, expected: valuePair, src: valuePair, addr: irRegister }),
  /** A prefetch hint: no memory access, never a store. */
  z.strictObject({ op: z.literal("prefetch"), addr: irRegister, offset: z.number().int() }),
  z.strictObject({ op: z.literal("sysreg_read"), dst: irRegister, reg: z.enum(systemRegisterNames) }),
  z.strictObject({ op: z.literal("sysreg_write"), reg: z.enum(writableSystemRegisterNames), src: irValue }),
  z.strictObject({ op: z.literal("svc"), imm: z.number().int().min(0).max(0xffff) }),
  /**
   * FP, Advanced SIMD, crypto and system semantics as one call of a runtime helper:
   * [dst =] rt_a64_<fn>(cpu, pc, args...). V registers are named by number in args.
   */
  z.strictObject({
    op: z.literal("helper"),
    fn: helperName,
    args: z.array(helperArgument),
    dst: irRegister.optional(),
  }),
  /** bl: x30 = return address, run the function, then check the guest returned there. */
  z.strictObject({ op: z.literal("call"), target: z.string(), addr: hex64, ret: hex64 }),
  /** blr: like call, through the runtime's table of function entry addresses. */
  z.strictObject({ op: z.literal("call_indirect"), src: irRegister, ret: hex64 }),
] as const;

type OpObjectSchema = z.ZodObject<{ op: z.ZodType<string> } & z.ZodRawShape>;

/** The names an op or terminator object schema's `op` member takes. */
function opNamesOf(schema: OpObjectSchema): string[] {
  return [...(schema.shape.op._zod.values ?? [])].map(String);
}

/**
 * The file form of a union of op objects: an array of the op's name and its fields in the order of
 * its object's members (optional members come last and may be left off), read into the object and
 * checked by it. Each form's JSON Schema (the arrays) is made from the objects' (`arrayFormObjects`).
 */
function arrayForm<T extends readonly [OpObjectSchema, ...OpObjectSchema[]]>(objects: T, description: string) {
  const fields = new Map<string, readonly string[]>();
  for (const object of objects) for (const name of opNamesOf(object)) fields.set(name, Object.keys(object.shape).slice(1));
  const union = z.discriminatedUnion("op", objects as unknown as [T[number], ...T[number][]]);
  const schema = z
    .preprocess((input, ctx): unknown => {
      const value = Array.isArray(input) ? (input as unknown[]) : undefined;
      const keys = typeof value?.[0] === "string" ? fields.get(value[0]) : undefined;
      if (keys === undefined || value === undefined) {
        const name = value === undefined ? "" : JSON.stringify(value[0]);
        ctx.addIssue({ code: "custom", message: `must be an array of an op name and its fields${name === "" ? "" : `; ${name} is no op name`}`, input });
        return input;
      }
      if (value.length > keys.length + 1) {
        ctx.addIssue({ code: "custom", message: `"${String(value[0])}" takes at most ${keys.length} fields (${keys.join(", ")}), not ${value.length - 1}`, input });
        return input;
      }
      const object: Record<string, unknown> = { op: value[0] };
      for (let i = 0; i < keys.length && i + 1 < value.length; i++) object[keys[i]] = value[i + 1];
      return object;
    }, union)
    .describe(description);
  arrayFormObjects.set(schema, union);
  return { schema, fields };
}

/** The array forms' schemas with the union of objects each one reads into (for their JSON Schema). */
export const arrayFormObjects = new Map<z.ZodType, z.ZodType>();

const ops = arrayForm(
  opSchemas,
  'One op as an array: its name, then its fields in the order docs/ir.md lists them (optional ones last, left off when absent), e.g. ["add_i64", "x0", "x1", "#0x10"]',
);
export const irOpSchema = ops.schema;
export type IrOp = z.infer<typeof irOpSchema>;

const label = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an identifier");

const terminatorSchemas = [
  z.strictObject({ op: z.literal("br"), target: label }),
  z.strictObject({ op: z.literal("br_cond"), cond: condition, then: label, else: label }),
  /** cbz/cbnz/tbz/tbnz: test a register (whole width, or one bit) and go to `then` when it holds. */
  z.strictObject({
    op: z.literal("br_test"),
    test: z.enum(["zero", "nonzero", "bit_clear", "bit_set"]),
    src: irRegister,
    width: z.union([z.literal(32), z.literal(64)]),
    then: label,
    else: label,
    bit: z.number().int().min(0).max(63).optional(),
  }),
  z.strictObject({ op: z.literal("tail_call"), target: z.string(), addr: hex64 }),
  /** br Xn: a jump table (targets found by the lifter) or else the function-entry dispatch. */
  z.strictObject({
    op: z.literal("br_indirect"),
    src: irRegister,
    table: z.array(z.strictObject({ addr: hex64, target: label })),
  }),
  z.strictObject({ op: z.literal("ret"), src: irRegister }),
  /** Execution cannot continue: brk/udf, an unsupported instruction, or running off the code. */
  z.strictObject({ op: z.literal("trap"), pc: hex64, reason: z.string(), word: hex64.optional() }),
] as const;

const terminators = arrayForm(terminatorSchemas, 'A block\'s terminator as an array like an op\'s, e.g. ["br_cond", "eq", "b_10000010", "b_1000000c"]');
export const irTerminatorSchema = terminators.schema;
export type IrTerminator = z.infer<typeof irTerminatorSchema>;

/** Each op name's and terminator name's fields after `op`, in the order module.json writes them. */
export const irFieldOrder: ReadonlyMap<string, readonly string[]> = new Map([...ops.fields, ...terminators.fields]);

export const irBlockSchema = z.strictObject({
  label,
  start: hex64,
  ops: z.array(irOpSchema).describe('The block\'s instructions in order, each an "insn" op followed by the ops that implement it'),
  terminator: irTerminatorSchema,
});
export type IrBlock = z.infer<typeof irBlockSchema>;

export const irFunctionSchema = z.strictObject({
  name: z.string(),
  entry: hex64,
  blocks: z.array(irBlockSchema),
});
export type IrFunction = z.infer<typeof irFunctionSchema>;

const permissions = z.strictObject({ read: z.boolean(), write: z.boolean(), execute: z.boolean() });

export const irSegmentSchema = z.strictObject({
  name: z.string(),
  base: hex64,
  size: z.number().int().nonnegative(),
  permissions,
  /** Image file with the segment's initial bytes, relative to module.json's folder. */
  init_path: z.string().optional(),
  init_size: z.number().int().nonnegative(),
  zero_fill: z.number().int().nonnegative(),
  init_sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});
export type IrSegment = z.infer<typeof irSegmentSchema>;

export const moduleJsonSchema = z.strictObject({
  arch: z.literal("aarch64"),
  ir_version: z.literal(irVersion).describe("recomp's IR revision (absent in the prior art's files, which are read as such)"),
  lift_mode: z.enum(["decode", "stub"]).optional(),
  entry: hex64.optional(),
  segments: z.array(irSegmentSchema),
  functions: z.array(irFunctionSchema),
  /** Every instruction the lifter reached but does not support, with its encoding. */
  unsupported: z.array(z.strictObject({ pc: hex64, word: hex64, function: z.string() })).optional(),
});
export type ModuleJson = z.infer<typeof moduleJsonSchema>;
