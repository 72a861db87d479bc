// lift/a64: the A64 decoder entry point: one 32-bit word at an address to semantics and objdump text.
import { field, hex64 } from "./bits.js";
import { decodeBranchSystem } from "./branch-system.js";
import { decodeDataImmediate } from "./dp-immediate.js";
import { decodeDataRegister } from "./dp-register.js";
import { decodeFromTable } from "./groups/index.js";
import { decodeLoadStore } from "./load-store.js";
import type { Decoded, DecodedInsn, InsnBody, Word } from "./types.js";

function decodeClass(input: Word): InsnBody | undefined {
  const op0 = field(input.word, 28, 25);
  if ((op0 & 0b1110) === 0b1000) return decodeDataImmediate(input);
  if ((op0 & 0b1110) === 0b1010) return decodeBranchSystem(input);
  if ((op0 & 0b0101) === 0b0100) return decodeLoadStore(input);
  if ((op0 & 0b0111) === 0b0101) return decodeDataRegister(input);
  return undefined;
}

function decodeBody(input: Word): InsnBody | undefined {
  return decodeClass(input) ?? decodeFromTable(input);
}

/** Decodes one little-endian instruction word at `address`; never guesses at an encoding it does not know. */
export function decodeA64(word: number, address: bigint): Decoded {
  const input = { word: word >>> 0, pc: address };
  const decoded = decodeBody(input);
  if (decoded === undefined) {
    return {
      supported: false,
      address,
      word: input.word,
      reason: `unsupported instruction 0x${input.word.toString(16).padStart(8, "0")} at ${hex64(address)}`,
    };
  }
  // The body is the decoder's own new object: completing it in place saves a copy per instruction (a million in nx.js).
  const insn = decoded as DecodedInsn;
  insn.supported = true;
  insn.address = address;
  insn.word = input.word;
  return insn;
}

/** objdump's text for a decoded instruction ("mnemonic operands"), or undefined when unsupported. */
export function formatInsn(decoded: Decoded): string | undefined {
  if (!decoded.supported) return undefined;
  return decoded.operands === "" ? decoded.mnemonic : `${decoded.mnemonic} ${decoded.operands}`;
}
