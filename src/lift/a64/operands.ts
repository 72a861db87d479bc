// lift/a64: register, condition, shift and extend names as objdump prints them and the IR names them.
import { conditionNames } from "../../config/ir-names.js";

export type Condition = (typeof conditionNames)[number];

// Made once: the decoder names several registers per instruction.
const xNames = Array.from({ length: 31 }, (_, n) => `x${n}`);
const wNames = Array.from({ length: 31 }, (_, n) => `w${n}`);

/** Assembly name of register n: 31 is sp/wsp where the encoding means the stack pointer, else xzr/wzr. */
export function regName(n: number, is64: boolean, spAt31: boolean): string {
  if (n === 31) return spAt31 ? (is64 ? "sp" : "wsp") : is64 ? "xzr" : "wzr";
  return (is64 ? xNames : wNames)[n] ?? `${is64 ? "x" : "w"}${n}`;
}

/** IR name of register n: the IR always names the full 64-bit register. */
export function irReg(n: number, spAt31: boolean): string {
  if (n === 31) return spAt31 ? "sp" : "xzr";
  return xNames[n] ?? `x${n}`;
}

export function condName(code: number): Condition {
  return conditionNames[code & 15];
}

export function invertCond(code: number): Condition {
  return condName(code ^ 1);
}

export const shiftNames = ["lsl", "lsr", "asr", "ror"] as const;
export const extendNames = ["uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx"] as const;
