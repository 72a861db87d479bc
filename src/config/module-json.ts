// config: module.json, the lifted IR (docs/ir.md): segments plus functions made of blocks of ops.
// In the file an op or terminator is an array, its name then its fields in the order of its object
// schema below; the schemas read it into the object the rest of recomp uses (IrOp, IrTerminator).
import { z } from "zod";
import { conditionNames, irVersion } from "./ir-names.js";

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

/** The operands every op names, each with what it means there. */
const dst = irRegister.describe("the register written");
const src = irValue.describe("the value read (a register, or an immediate)");
const srcRegister = irRegister.describe("the register read");
const lhs = irValue.describe("the first operand");
const rhs = irValue.describe("the second operand");
const addr = irRegister.describe("the register holding the guest address");
const offset = z.number().int().describe("added to addr, in bytes");
const bits = (what: string) => accessBits.describe(`${what}, in bits`);
const pc = hex64.describe("the guest address of the instruction");
const opName = (what: string) => z.string().describe(what);

const opSchemas = [
  /** Marks the start of one guest instruction; the ops after it implement it. */
  z.strictObject({
    op: z.literal("insn").describe("marks the start of one guest instruction; the ops after it implement it"),
    pc,
    word: hex64.describe("the instruction's 32-bit encoding"),
    asm: z.string().describe("the instruction as objdump prints it"),
  }),
  z.strictObject({ op: z.literal("const_i64").describe("dst = imm"), dst, imm: hex64.describe("the 64-bit value") }),
  z.strictObject({ op: opEnum(binaryOpNames).describe("dst = lhs OP rhs; _i32 forms use the low 32 bits and zero-extend the result"), dst, lhs, rhs }),
  z.strictObject({ op: opEnum(unaryOpNames).describe("dst = OP src"), dst, src }),
  z.strictObject({ op: opEnum(compareOpNames).describe("sets the flags only: cmp (lhs - rhs), cmn (lhs + rhs), test (lhs & rhs)"), lhs, rhs }),
  z.strictObject({
    op: opEnum(extendOpNames).describe("dst = src's low `bits` bits, sign- or zero-extended to 64"),
    dst,
    src,
    bits: z.union([z.literal(8), z.literal(16), z.literal(32)]).describe("how many low bits of src are kept"),
  }),
  z.strictObject({
    op: opEnum(bitfieldOpNames).describe("the A64 bitfield move (ubfm, sbfm, bfm) with its immr and imms"),
    dst,
    src,
    immr: z.number().int().min(0).max(63).describe("the rotate amount"),
    imms: z.number().int().min(0).max(63).describe("the top bit of the field"),
  }),
  z.strictObject({
    op: z.enum(["extr_i32", "extr_i64"]).describe("dst = the width's bits of hi:lo starting at bit lsb"),
    dst,
    hi: irValue.describe("the high half"),
    lo: irValue.describe("the low half"),
    lsb: z.number().int().min(0).max(63).describe("the lowest bit extracted"),
  }),
  z.strictObject({ op: opEnum(selectOpNames).describe("dst = cond ? lhs : OP(rhs) (csel, csinc, csinv, csneg)"), dst, cond: condition.describe("the condition tested on the flags"), lhs, rhs }),
  z.strictObject({
    op: opEnum(condCompareOpNames).describe("when cond holds, compare lhs with rhs; else set the flags to nzcv"),
    lhs,
    rhs,
    cond: condition.describe("the condition tested on the flags"),
    nzcv: z.number().int().min(0).max(15).describe("the flags set when cond fails (N=8, Z=4, C=2, V=1)"),
  }),
  z.strictObject({ op: opEnum(loadOpNames).describe("dst = memory at addr + offset (zero-extended, or sign-extended for load_sN_iM)"), dst, addr, offset }),
  z.strictObject({ op: opEnum(storeOpNames).describe("memory at addr + offset = the low bits of src"), src, addr, offset }),
  z.strictObject({ op: opEnum(exclusiveLoadOpNames).describe("ldxr/ldaxr: dst = memory at addr; marks addr in the exclusive monitor"), dst, addr }),
  z.strictObject({
    op: opEnum(exclusiveStoreOpNames).describe("stxr/stlxr: stores src when the monitor holds addr; clears the monitor"),
    status: irRegister.describe("the register that receives 0 when stored, 1 when not"),
    src,
    addr,
  }),
  z.strictObject({ op: z.literal("clrex").describe("clears the exclusive monitor") }),
  /** ldxp/ldaxp: two `bits`-wide values at addr and addr + bits/8; marks addr in the exclusive monitor. */
  z.strictObject({
    op: z.literal("load_excl_pair").describe("ldxp/ldaxp: two values at addr and addr + bits/8; marks addr in the exclusive monitor"),
    bits: pairBits.describe("the width of each value, in bits"),
    dst: registerPair.describe("the two registers written"),
    addr,
  }),
  /** stxp/stlxp: stores the pair when the monitor holds addr; status 0 = stored, 1 = not; clears the monitor. */
  z.strictObject({
    op: z.literal("store_excl_pair").describe("stxp/stlxp: stores the pair when the monitor holds addr; clears the monitor"),
    bits: pairBits.describe("the width of each value, in bits"),
    status: irRegister.describe("the register that receives 0 when stored, 1 when not"),
    src: valuePair.describe("the two values stored"),
    addr,
  }),
  /** LSE ld<op>/st<op>/swp: dst = the old `bits` at addr (zero-extended); memory = operation(old, src). */
  z.strictObject({
    op: z.literal("atomic_rmw").describe("LSE ld<op>/st<op>/swp: dst = the old value at addr (zero-extended); memory = operation(old, src)"),
    operation: z.enum(atomicOperationNames).describe("the read-modify-write operation"),
    bits: bits("the access width"),
    dst,
    src,
    addr,
  }),
  /** cas: dst = the old `bits` at addr; memory = src when the old value equals the low bits of expected. */
  z.strictObject({
    op: z.literal("atomic_cas").describe("cas: dst = the old value at addr; memory = src when it equals expected"),
    bits: bits("the access width"),
    dst,
    expected: irValue.describe("the value compared with memory"),
    src,
    addr,
  }),
  /** casp: cas of a pair of `bits`-wide values (first at addr), compared and replaced together. */
  z.strictObject({
    op: z.literal("atomic_casp").describe("casp: cas of a pair of values (the first at addr), compared and replaced together"),
    bits: pairBits.describe("the width of each value, in bits"),
    dst: registerPair.describe("the two registers that receive the old values"),
    expected: valuePair.describe("the two values compared with memory"),
    src: valuePair.describe("the two values stored when both match"),
    addr,
  }),
  /** A prefetch hint: no memory access, never a store. */
  z.strictObject({ op: z.literal("prefetch").describe("a prefetch hint: no memory access"), addr, offset }),
  z.strictObject({ op: z.literal("sysreg_read").describe("dst = the system register"), dst, reg: z.enum(systemRegisterNames).describe("the system register read") }),
  z.strictObject({ op: z.literal("sysreg_write").describe("the system register = src"), reg: z.enum(writableSystemRegisterNames).describe("the system register written"), src }),
  z.strictObject({ op: z.literal("svc").describe("a supervisor call, served by the runtime's personality"), imm: z.number().int().min(0).max(0xffff).describe("the svc immediate") }),
  /**
   * FP, Advanced SIMD, crypto and system semantics as one call of a runtime helper:
   * [dst =] rt_a64_<fn>(cpu, pc, args...). V registers are named by number in args.
   */
  z.strictObject({
    op: z.literal("helper").describe("FP, Advanced SIMD, crypto or system semantics as one call: [dst =] rt_a64_<fn>(cpu, pc, args...)"),
    fn: helperName.describe("the helper's name: the C function rt_a64_<fn> in runtime/core/a64/"),
    args: z.array(helperArgument).describe("the helper's arguments: registers, immediates, or small integers (V register numbers, sizes, lanes)"),
    dst: irRegister.optional().describe("the register that receives the helper's result, when it has one"),
  }),
  /** bl: x30 = return address, run the function, then check the guest returned there. */
  z.strictObject({
    op: z.literal("call").describe("bl: x30 = the return address, run the function, then check the guest returned there"),
    target: opName("the lifted function called"),
    addr: hex64.describe("its entry address"),
    ret: hex64.describe("the return address"),
  }),
  /** blr: like call, through the runtime's table of function entry addresses. */
  z.strictObject({
    op: z.literal("call_indirect").describe("blr: like call, through the runtime's table of function entry addresses"),
    src: srcRegister.describe("the register holding the target address"),
    ret: hex64.describe("the return address"),
  }),
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

const thenLabel = label.describe("the block run when the condition holds");
const elseLabel = label.describe("the block run when it does not");

const terminatorSchemas = [
  z.strictObject({ op: z.literal("br").describe("go to a block of this function"), target: label.describe("the block's label") }),
  z.strictObject({ op: z.literal("br_cond").describe("b.cond"), cond: condition.describe("the condition tested on the flags"), then: thenLabel, else: elseLabel }),
  /** cbz/cbnz/tbz/tbnz: test a register (whole width, or one bit) and go to `then` when it holds. */
  z.strictObject({
    op: z.literal("br_test").describe("cbz/cbnz/tbz/tbnz"),
    test: z.enum(["zero", "nonzero", "bit_clear", "bit_set"]).describe("what is tested"),
    src: irRegister.describe("the register tested"),
    width: z.union([z.literal(32), z.literal(64)]).describe("how many low bits of src count for zero/nonzero, in bits"),
    then: thenLabel,
    else: elseLabel,
    bit: z.number().int().min(0).max(63).optional().describe("the bit tested (bit_clear, bit_set)"),
  }),
  z.strictObject({
    op: z.literal("tail_call").describe("a branch to another lifted function's entry"),
    target: z.string().describe("the lifted function"),
    addr: hex64.describe("its entry address"),
  }),
  /** br Xn: a jump table (targets found by the lifter) or else the function-entry dispatch. */
  z.strictObject({
    op: z.literal("br_indirect").describe("br Xn: a jump table (targets found by the lifter), else the function-entry dispatch"),
    src: irRegister.describe("the register holding the target address"),
    table: z
      .array(z.strictObject({ addr: hex64.describe("a target address"), target: label.describe("the block at that address") }))
      .describe("the jump table's targets found by the lifter (empty: dispatch by function entry)"),
    complete: z
      .strictObject({
        table: hex64.describe("the guest address of the table's first entry"),
        bytes: z.number().int().positive().describe("the table's size in bytes"),
      })
      .optional()
      .describe("present when the lifter proved the branch goes to no address outside `table` while the table's bytes (read-only data) hold what the lift read: a miss is then a fault"),
  }),
  z.strictObject({ op: z.literal("ret").describe("return to the address in src"), src: irRegister.describe("the register holding the return address (x30 for ret)") }),
  /** Execution cannot continue: brk/udf, an unsupported instruction, or running off the code. */
  z.strictObject({
    op: z.literal("trap").describe("execution cannot continue: brk/udf, an unsupported instruction, or running off the code"),
    pc: hex64.describe("the guest address of the instruction"),
    reason: z.string().describe("what the runtime prints when the run reaches it"),
    word: hex64.optional().describe("its encoding, when there is one"),
  }),
] as const;

const terminators = arrayForm(terminatorSchemas, 'A block\'s terminator as an array like an op\'s, e.g. ["br_cond", "eq", "b_10000010", "b_1000000c"]');
export const irTerminatorSchema = terminators.schema;
export type IrTerminator = z.infer<typeof irTerminatorSchema>;

/** Each op name's and terminator name's fields after `op`, in the order module.json writes them. */
export const irFieldOrder: ReadonlyMap<string, readonly string[]> = new Map([...ops.fields, ...terminators.fields]);

export const irBlockSchema = z.strictObject({
  label: label.describe("the block's label, unique in its function"),
  start: hex64.describe("the guest address of its first instruction"),
  ops: z.array(irOpSchema).describe('the block\'s instructions in order, each an "insn" op followed by the ops that implement it'),
  terminator: irTerminatorSchema.describe("how it ends"),
});
export type IrBlock = z.infer<typeof irBlockSchema>;

export const irFunctionSchema = z.strictObject({
  name: z.string().describe("the function's name (a symbol, or fn_<entry address>)"),
  entry: hex64.describe("its entry address"),
  blocks: z.array(irBlockSchema).describe("its blocks, the entry block first"),
});
export type IrFunction = z.infer<typeof irFunctionSchema>;

const permissions = z
  .strictObject({
    read: z.boolean().describe("the guest may read it"),
    write: z.boolean().describe("the guest may write it"),
    execute: z.boolean().describe("it holds code"),
  })
  .describe("the segment's memory permissions");

export const irSegmentSchema = z.strictObject({
  name: z.string().describe("the segment's name (text, rodata, data; module-qualified when there are several modules)"),
  base: hex64.describe("its guest address"),
  size: z.number().int().nonnegative().describe("its size in memory, in bytes"),
  permissions,
  /** Image file with the segment's initial bytes, relative to module.json's folder. */
  init_path: z.string().optional().describe("the image file with its initial bytes, relative to module.json's folder"),
  init_size: z.number().int().nonnegative().describe("bytes of initial contents (the image file's size)"),
  zero_fill: z.number().int().nonnegative().describe("zero bytes after them (bss), in bytes"),
  init_sha256: z.string().regex(/^[0-9a-f]{64}$/).optional().describe("SHA-256 of the image file, lowercase hex"),
});
export type IrSegment = z.infer<typeof irSegmentSchema>;

export const moduleJsonSchema = z.strictObject({
  arch: z.literal("aarch64").describe("the guest architecture"),
  ir_version: z.literal(irVersion).describe("recomp's IR revision (absent in the prior art's files, which are read as such)"),
  lift_mode: z.enum(["decode", "stub"]).optional().describe("how it was lifted ([run] lift_mode): decode lifts every reachable instruction; stub writes functions that trap"),
  entry: hex64.optional().describe("the program's entry address"),
  segments: z.array(irSegmentSchema).describe("the guest memory image"),
  functions: z.array(irFunctionSchema).describe("every lifted function"),
  /** Every instruction the lifter reached but does not support, with its encoding. */
  unsupported: z
    .array(
      z.strictObject({
        pc: hex64.describe("its guest address"),
        word: hex64.describe("its encoding"),
        function: z.string().describe("the lifted function that reaches it"),
      }),
    )
    .optional()
    .describe("every instruction the lifter reached but does not support (lifted as a trap)"),
});
export type ModuleJson = z.infer<typeof moduleJsonSchema>;
