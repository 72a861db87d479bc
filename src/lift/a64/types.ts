// lift/a64: what the decoder returns for one instruction word.
import type { IrOp } from "../../config/module-json.js";
import type { Condition } from "./operands.js";

/** How a branch decides: on the flags, or by testing a register. */
export type BranchTest =
  | { kind: "flags"; cond: Condition }
  | { kind: "zero" | "nonzero"; reg: string; width: 32 | 64 }
  | { kind: "bit_clear" | "bit_set"; reg: string; width: 32 | 64; bit: number };

/** Control flow after the instruction's ops have run. */
export type Flow =
  | { kind: "next" }
  | { kind: "jump"; target: bigint }
  | { kind: "branch"; target: bigint; test: BranchTest }
  | { kind: "call"; target: bigint }
  | { kind: "call_indirect"; reg: string }
  | { kind: "jump_indirect"; reg: string }
  | { kind: "ret"; reg: string }
  | { kind: "trap"; reason: string };

/** The semantics and objdump text of one decoded instruction, before address and word are attached. */
export interface InsnBody {
  mnemonic: string;
  operands: string;
  /** The instruction's effect on registers, flags and memory; control flow is in `flow`. */
  ops: IrOp[];
  flow: Flow;
}

export interface DecodedInsn extends InsnBody {
  supported: true;
  address: bigint;
  word: number;
}

/** An encoding recomp does not implement (or that is unallocated): never guessed at. */
export interface UnsupportedInsn {
  supported: false;
  address: bigint;
  word: number;
  reason: string;
}

export type Decoded = DecodedInsn | UnsupportedInsn;

/** Decoder context for one word. */
export interface Word {
  word: number;
  pc: bigint;
}

/** The flow of most instructions: one shared object, not one per decoded instruction. */
const next: Flow = { kind: "next" };

export function body(mnemonic: string, operands: string, ops: IrOp[], flow: Flow = next): InsnBody {
  return { mnemonic, operands, ops, flow };
}
