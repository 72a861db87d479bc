// lift/a64/groups: the system instructions the hand-written decoder leaves out: every other hint (bti, the PAuth
// hints, esb, csdb, hint #imm), dc zva and the EL0 cache maintenance by address, udf and hlt, SVE/SME words, and the
// system registers and operations of extensions the Cortex-A57 lacks (SME's tpidr2_el0, GCS).
import { hexImm } from "../bits.js";
import type { Encoding } from "../encoding-table.js";
import { irReg, regName } from "../operands.js";
import { body } from "../types.js";
import { helper } from "../vector-operands.js";

/**
 * Hint numbers (CRm:op2) objdump names. The Switch's Cortex-A57 has neither PAuth nor BTI, so every hint is the
 * nop the architecture makes an unimplemented hint.
 */
const hintNames: Record<number, string> = {
  7: "xpaclri", 8: "pacia1716", 10: "pacib1716", 12: "autia1716", 14: "autib1716",
  16: "esb", 17: "psb csync", 18: "tsb csync", 20: "csdb", 22: "clearbhb",
  24: "paciaz", 25: "paciasp", 26: "pacibz", 27: "pacibsp", 28: "autiaz", 29: "autiasp", 30: "autibz", 31: "autibsp",
  32: "bti", 34: "bti c", 36: "bti j", 38: "bti jc",
};

/**
 * EL0 cache maintenance by address (op1 = 3, CRn = 7): CRm:op2 to the name. dc cvap and dc cvadp (ARMv8.2, 8.5) are
 * UNDEFINED on the Cortex-A57 (and in qemu-aarch64), so they are left unsupported.
 */
const cacheOperations: Record<number, { name: string; fn: string }> = {
  [(4 << 3) | 1]: { name: "dc zva", fn: "dc_zva" },
  [(10 << 3) | 1]: { name: "dc cvac", fn: "cache_maintenance" },
  [(11 << 3) | 1]: { name: "dc cvau", fn: "cache_maintenance" },
  [(14 << 3) | 1]: { name: "dc civac", fn: "cache_maintenance" },
  [(5 << 3) | 1]: { name: "ic ivau", fn: "cache_maintenance" },
};

export const encodings: Encoding[] = [
  {
    name: "HINT",
    pattern: "11010101000000110010mmmmooo11111",
    decode: ({ m, o }) => {
      const number = (m << 3) | o;
      const [mnemonic, operand = ""] = (hintNames[number] ?? `hint #0x${number.toString(16)}`).split(" ");
      return body(mnemonic, operand, []);
    },
  },
  {
    name: "SYS (DC, IC by address)",
    pattern: "11010101000010110111mmmmooottttt",
    decode: ({ m, o, t }) => {
      const operation = cacheOperations[(m << 3) | o];
      if (operation === undefined) return undefined;
      const [mnemonic, name] = operation.name.split(" ");
      return body(mnemonic, `${name}, ${regName(t, true, false)}`, [helper(operation.fn, [irReg(t, false)])]);
    },
  },
  {
    name: "UDF",
    pattern: "0000000000000000iiiiiiiiiiiiiiii",
    decode: ({ i }) => body("udf", `#${i}`, [], { kind: "trap", reason: `udf #${i} (permanently undefined)` }),
  },
  {
    name: "HLT",
    pattern: "11010100010iiiiiiiiiiiiiiii00000",
    decode: ({ i }) => body("hlt", hexImm(i), [], { kind: "trap", reason: `hlt ${hexImm(i)} (halting debug breakpoint)` }),
  },
  {
    name: "MRS/MSR (FEAT_SME's TPIDR2_EL0)",
    pattern: "1101010100" + "L" + "110111101" + "0000101" + "ttttt",
    decode: ({ L, t }) => absentSystemRegister(L, t, "tpidr2_el0", "SME"),
  },
  {
    name: "MRS/MSR (FEAT_GCS's GCSPR_EL0)",
    pattern: "1101010100" + "L" + "110110010" + "0101001" + "ttttt",
    decode: ({ L, t }) => absentSystemRegister(L, t, "s3_3_c2_c5_1", "GCS"),
  },
  {
    name: "SYS/SYSL #3, C7, C7 (FEAT_GCS's GCSPUSHM, GCSPOPM, GCSSS1, GCSSS2)",
    pattern: "1101010100" + "L" + "010110111" + "0111ooo" + "ttttt",
    decode: ({ L, o, t }) => {
      const operands = L === 1 ? `${regName(t, true, false)}, #3, C7, C7, #${o}` : `#3, C7, C7, #${o}${t === 31 ? "" : `, ${regName(t, true, false)}`}`;
      return body(L === 1 ? "sysl" : "sys", operands, [], { kind: "trap", reason: `${L === 1 ? "sysl" : "sys"} #3, C7, C7, #${o} (GCS): the Cortex-A57 has no GCS` });
    },
  },
  {
    name: "SVE",
    pattern: "---0010-------------------------",
    decode: (_, { word }) => noSuchExtension(word, "SVE"),
  },
  {
    name: "SME",
    pattern: "1--0000-------------------------",
    decode: (_, { word }) => noSuchExtension(word, "SME"),
  },
];

/**
 * mrs/msr of a register of an extension the Switch's core lacks: UNDEFINED there, so a trap that says so.
 * Library code reads them only behind a feature test (the SME state of libgcc's unwinder, `chkfeat` before GCS).
 */
function absentSystemRegister(read: number, t: number, register: string, extension: string) {
  const [mnemonic, operands] = read === 1 ? ["mrs", `${regName(t, true, false)}, ${register}`] : ["msr", `${register}, ${regName(t, true, false)}`];
  return body(mnemonic, operands, [], { kind: "trap", reason: `${mnemonic} ${register} (${extension}): the Cortex-A57 has no ${extension}` });
}

/** SVE and SME are not on the Switch's core: the word is UNDEFINED there, so it lifts as a trap that says so. */
function noSuchExtension(word: number, extension: string) {
  const hex = `0x${word.toString(16).padStart(8, "0")}`;
  return body(".inst", hex, [], { kind: "trap", reason: `${extension} instruction ${hex}: the Cortex-A57 has no ${extension}` });
}
