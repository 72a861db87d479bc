// config: the prior art's lifted module.json (SwitchRecomp), read unchanged and converted to our IR by src/lift/from-prior-ir.ts.
import { z } from "zod";

/**
 * The prior art wrote i64/u64 as JSON numbers. Above 2^53 JSON.parse rounds them, so such a value
 * is rejected rather than silently changed.
 */
const exactInteger = z.number().int("must be an integer within +-2^53 (larger JSON numbers lose bits when read)");
const unsignedInteger = exactInteger.refine((n) => n >= 0, "must not be negative");

/** Register names ("x0".."x30") or the prior art's named temporaries ("imm3", "tmp0"). */
const priorRegister = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a register like "x0" or a temporary name');
const priorLabel = z.string().min(1);

export const priorBinaryOpNames = ["add_i64", "sub_i64", "and_i64", "or_i64", "xor_i64", "lsl_i64", "lsr_i64", "asr_i64"] as const;
const flagOps = ["cmp_i64", "cmn_i64", "test_i64"] as const;
export const priorLoadOpNames = ["load_i8", "load_i16", "load_i32", "load_i64"] as const;
export const priorStoreOpNames = ["store_i8", "store_i16", "store_i32", "store_i64"] as const;

const brOp = z.strictObject({ op: z.literal("br"), target: priorLabel });
const brCondOp = z.strictObject({ op: z.literal("br_cond"), cond: z.string(), then: priorLabel, else: priorLabel });
const retOp = z.strictObject({ op: z.literal("ret") });

export const priorOpSchema = z.union([
  z.strictObject({ op: z.literal("const_i64"), dst: priorRegister, imm: exactInteger }),
  z.strictObject({ op: z.literal("mov_i64"), dst: priorRegister, src: priorRegister }),
  z.strictObject({ op: z.enum(priorBinaryOpNames), dst: priorRegister, lhs: priorRegister, rhs: priorRegister }),
  z.strictObject({ op: z.enum(flagOps), lhs: priorRegister, rhs: priorRegister }),
  /** dst = pc + offset (adr/adrp, resolved by the prior art's decoder). */
  z.strictObject({ op: z.literal("pc_rel"), dst: priorRegister, pc: exactInteger, offset: exactInteger }),
  z.strictObject({ op: z.enum(priorLoadOpNames), dst: priorRegister, addr: priorRegister, offset: exactInteger.optional() }),
  z.strictObject({ op: z.enum(priorStoreOpNames), src: priorRegister, addr: priorRegister, offset: exactInteger.optional() }),
  brOp,
  brCondOp,
  z.strictObject({ op: z.literal("call"), target: z.string().min(1) }),
  z.strictObject({ op: z.literal("syscall"), name: z.string().min(1), args: z.array(priorRegister) }),
  retOp,
]);
export type PriorOp = z.infer<typeof priorOpSchema>;

export const priorTerminatorSchema = z.union([
  brOp,
  brCondOp,
  /** bl inside a decoded block: call target, then continue at block `next`. */
  z.strictObject({ op: z.literal("call"), target: z.string().min(1), next: priorLabel }),
  z.strictObject({ op: z.literal("br_indirect"), reg: priorRegister }),
  retOp,
]);
export type PriorTerminator = z.infer<typeof priorTerminatorSchema>;

export const priorBlockSchema = z.strictObject({
  label: priorLabel,
  start: unsignedInteger,
  ops: z.array(priorOpSchema).optional(),
  terminator: priorTerminatorSchema,
});
export type PriorBlock = z.infer<typeof priorBlockSchema>;

export const priorFunctionSchema = z.strictObject({
  name: z.string().min(1),
  /** Linear form (hand-written or stub modules). */
  ops: z.array(priorOpSchema).optional(),
  /** Decoded form. */
  blocks: z.array(priorBlockSchema).optional(),
});
export type PriorFunction = z.infer<typeof priorFunctionSchema>;

export const priorSegmentSchema = z.strictObject({
  name: z.string(),
  base: unsignedInteger,
  size: unsignedInteger,
  permissions: z.strictObject({ read: z.boolean(), write: z.boolean(), execute: z.boolean() }),
  init_path: z.string().optional(),
  init_size: unsignedInteger.optional(),
  zero_fill: z.boolean().optional(),
});
export type PriorSegment = z.infer<typeof priorSegmentSchema>;

export const priorModuleJsonSchema = z.strictObject({
  arch: z.literal("aarch64"),
  segments: z.array(priorSegmentSchema).optional(),
  functions: z.array(priorFunctionSchema),
});
export type PriorModuleJson = z.infer<typeof priorModuleJsonSchema>;
