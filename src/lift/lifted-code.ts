// lift: a lifted function's IR (docs/ir.md) from the blocks the CFG builder keeps: as objects for
// callers that read them, or straight as module.json text (the same bytes as irFunctionJson of the objects).
import type { IrFunction, IrOp } from "../config/module-json.js";
import { hex64, hexDigits, hexOf } from "./a64/bits.js";
import { formatInsn } from "./a64/decode.js";
import type { DecodedInsn } from "./a64/types.js";
import { blockLabel, type LiftedBlock, type LiftedFunction, type LiftedFunctions } from "./cfg.js";
import { blockJson, functionJson, insnJson, opJson } from "./module-json-text.js";

type Code = Pick<LiftedFunctions, "explorer" | "entries">;

/** The instructions of a block, as the decoder made them. */
function* instructions(code: Code, block: LiftedBlock): Generator<DecodedInsn> {
  for (let i = 0, at = block.start; i < block.count; i++, at += 4) yield code.explorer.decodeAt(at) as DecodedInsn;
}

/** The op a call adds after its instruction's own ops (bl, blr), if any. */
function callOp(code: Code, insn: DecodedInsn): IrOp | undefined {
  const flow = insn.flow;
  if (flow.kind === "call") return { op: "call", target: code.entries.get(flow.target) as string, addr: hex64(flow.target), ret: hex64(insn.address + 4n) };
  if (flow.kind === "call_indirect") return { op: "call_indirect", src: flow.reg, ret: hex64(insn.address + 4n) };
  return undefined;
}

const insnPc = (insn: DecodedInsn): string => `0x${hexOf(insn.address)}`;
const insnWord = (insn: DecodedInsn): string => `0x${hexDigits(insn.word)}`;

/** The function as module.json's IR objects. */
export function irFunction(code: Code, fn: LiftedFunction): IrFunction {
  const blocks = fn.blocks.map((block) => {
    const ops: IrOp[] = [];
    for (const insn of instructions(code, block)) {
      ops.push({ op: "insn", pc: insnPc(insn), word: insnWord(insn), asm: formatInsn(insn) as string }, ...insn.ops);
      const call = callOp(code, insn);
      if (call !== undefined) ops.push(call);
    }
    return { label: blockLabel(block.start), start: hex64(BigInt(block.start)), ops, terminator: block.terminator };
  });
  return { name: fn.name, entry: hex64(fn.entry), blocks };
}

/** `irFunctionJson(irFunction(code, fn))` without building the function's objects. */
export function liftedFunctionJson(code: Code, fn: LiftedFunction): string {
  const blocks = fn.blocks.map((block) => {
    const lines: string[] = [];
    for (const insn of instructions(code, block)) {
      let line = insnJson(insnPc(insn), insnWord(insn), formatInsn(insn) as string);
      for (const irOp of insn.ops) line += `,${opJson(irOp)}`;
      const call = callOp(code, insn);
      if (call !== undefined) line += `,${opJson(call)}`;
      lines.push(line);
    }
    return blockJson(blockLabel(block.start), hex64(BigInt(block.start)), lines, block.terminator);
  });
  return functionJson(fn.name, hex64(fn.entry), blocks);
}
