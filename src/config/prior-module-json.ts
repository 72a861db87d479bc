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

const dst = priorRegister.describe("the register written");
const lhs = priorRegister.describe("the first operand");
const rhs = priorRegister.describe("the second operand");
const addr = priorRegister.describe("the register holding the guest address");
const offset = exactInteger.optional().describe("added to addr, in bytes (default 0)");
const thenLabel = priorLabel.describe("the block run when the condition holds");
const elseLabel = priorLabel.describe("the block run when it does not");
const callTarget = z.string().min(1).describe("the function called, by name");

const brOp = z.strictObject({ op: z.literal("br").describe("go to a block"), target: priorLabel.describe("the block's label") });
const brCondOp = z.strictObject({ op: z.literal("br_cond").describe("b.cond"), cond: z.string().describe("the A64 condition (eq, ne, ...)"), then: thenLabel, else: elseLabel });
const retOp = z.strictObject({ op: z.literal("ret").describe("return to x30") });

export const priorOpSchema = z.union([
  z.strictObject({ op: z.literal("const_i64").describe("dst = imm"), dst, imm: exactInteger.describe("the value (within +-2^53)") }),
  z.strictObject({ op: z.literal("mov_i64").describe("dst = src"), dst, src: priorRegister.describe("the register read") }),
  z.strictObject({ op: z.enum(priorBinaryOpNames).describe("dst = lhs OP rhs, 64-bit"), dst, lhs, rhs }),
  z.strictObject({ op: z.enum(flagOps).describe("sets the flags only: cmp (lhs - rhs), cmn (lhs + rhs), test (lhs & rhs)"), lhs, rhs }),
  /** dst = pc + offset (adr/adrp, resolved by the prior art's decoder). */
  z.strictObject({
    op: z.literal("pc_rel").describe("dst = pc + offset (adr/adrp)"),
    dst,
    pc: exactInteger.describe("the instruction's guest address"),
    offset: exactInteger.describe("added to pc, in bytes"),
  }),
  z.strictObject({ op: z.enum(priorLoadOpNames).describe("dst = memory at addr + offset, zero-extended"), dst, addr, offset }),
  z.strictObject({ op: z.enum(priorStoreOpNames).describe("memory at addr + offset = the low bits of src"), src: priorRegister.describe("the register stored"), addr, offset }),
  brOp,
  brCondOp,
  z.strictObject({ op: z.literal("call").describe("call a function, then continue"), target: callTarget }),
  z.strictObject({
    op: z.literal("syscall").describe("a runtime service call by name"),
    name: z.string().min(1).describe("the service call's name"),
    args: z.array(priorRegister).describe("the registers passed"),
  }),
  retOp,
]);
export type PriorOp = z.infer<typeof priorOpSchema>;

export const priorTerminatorSchema = z.union([
  brOp,
  brCondOp,
  /** bl inside a decoded block: call target, then continue at block `next`. */
  z.strictObject({ op: z.literal("call").describe("bl: call target, then continue at block next"), target: callTarget, next: priorLabel.describe("the block run after the call returns") }),
  z.strictObject({ op: z.literal("br_indirect").describe("br Xn"), reg: priorRegister.describe("the register holding the target address") }),
  retOp,
]);
export type PriorTerminator = z.infer<typeof priorTerminatorSchema>;

export const priorBlockSchema = z.strictObject({
  label: priorLabel.describe("the block's label, unique in its function"),
  start: unsignedInteger.describe("the guest address of its first instruction"),
  ops: z.array(priorOpSchema).optional().describe("what it does"),
  terminator: priorTerminatorSchema.describe("how it ends"),
});
export type PriorBlock = z.infer<typeof priorBlockSchema>;

export const priorFunctionSchema = z.strictObject({
  name: z.string().min(1).describe("the function's name"),
  /** Linear form (hand-written or stub modules). */
  ops: z.array(priorOpSchema).optional().describe("linear form (hand-written or stub modules): the function's ops in order"),
  /** Decoded form. */
  blocks: z.array(priorBlockSchema).optional().describe("decoded form: the function's blocks"),
});
export type PriorFunction = z.infer<typeof priorFunctionSchema>;

export const priorSegmentSchema = z.strictObject({
  name: z.string().describe("the segment's name"),
  base: unsignedInteger.describe("its guest address"),
  size: unsignedInteger.describe("its size in memory, in bytes"),
  permissions: z
    .strictObject({
      read: z.boolean().describe("the guest may read it"),
      write: z.boolean().describe("the guest may write it"),
      execute: z.boolean().describe("it holds code"),
    })
    .describe("its memory permissions"),
  init_path: z.string().optional().describe("the image file with its initial bytes, relative to module.json's folder"),
  init_size: unsignedInteger.optional().describe("bytes of initial contents"),
  zero_fill: z.boolean().optional().describe("whether the rest of the segment after the initial bytes is zero (bss)"),
});
export type PriorSegment = z.infer<typeof priorSegmentSchema>;

export const priorModuleJsonSchema = z.strictObject({
  arch: z.literal("aarch64").describe("the guest architecture"),
  segments: z.array(priorSegmentSchema).optional().describe("the guest memory image"),
  functions: z.array(priorFunctionSchema).describe("every lifted function"),
});
export type PriorModuleJson = z.infer<typeof priorModuleJsonSchema>;
