// lift/a64: branches, exception generation (svc, brk), hints, barriers and the system registers we model.
import { type systemRegisterNames, writableSystemRegisterNames } from "../../config/module-json.js";
import { bit, field, hexImm, signExtend, target, u64 } from "./bits.js";
import { condName, irReg, regName } from "./operands.js";
import { body, type InsnBody, type Word } from "./types.js";

export function decodeBranchSystem({ word, pc }: Word): InsnBody | undefined {
  if (field(word, 30, 26) === 0b00101) return branchImmediate(word, pc);
  if (field(word, 31, 24) === 0b01010100) return branchConditional(word, pc);
  if (field(word, 30, 25) === 0b011010) return compareBranch(word, pc);
  if (field(word, 30, 25) === 0b011011) return testBranch(word, pc);
  if (field(word, 31, 24) === 0b11010100) return exception(word);
  if (field(word, 31, 22) === 0b1101010100) return system(word);
  if (field(word, 31, 25) === 0b1101011) return branchRegister(word);
  return undefined;
}

function branchImmediate(word: number, pc: bigint): InsnBody {
  const to = u64(pc + signExtend(field(word, 25, 0) << 2, 28));
  const link = bit(word, 31) === 1;
  return body(link ? "bl" : "b", target(to), [], link ? { kind: "call", target: to } : { kind: "jump", target: to });
}

function branchConditional(word: number, pc: bigint): InsnBody | undefined {
  if (bit(word, 4) !== 0) return undefined;
  const to = u64(pc + signExtend(field(word, 23, 5) << 2, 21));
  const cond = condName(field(word, 3, 0));
  return body(`b.${cond}`, target(to), [], { kind: "branch", target: to, test: { kind: "flags", cond } });
}

function compareBranch(word: number, pc: bigint): InsnBody {
  const is64 = bit(word, 31) === 1;
  const nonzero = bit(word, 24) === 1;
  const rt = field(word, 4, 0);
  const to = u64(pc + signExtend(field(word, 23, 5) << 2, 21));
  return body(nonzero ? "cbnz" : "cbz", `${regName(rt, is64, false)}, ${target(to)}`, [], {
    kind: "branch",
    target: to,
    test: { kind: nonzero ? "nonzero" : "zero", reg: irReg(rt, false), width: is64 ? 64 : 32 },
  });
}

function testBranch(word: number, pc: bigint): InsnBody {
  const b5 = bit(word, 31);
  const bitNumber = (b5 << 5) | field(word, 23, 19);
  const set = bit(word, 24) === 1;
  const rt = field(word, 4, 0);
  const to = u64(pc + signExtend(field(word, 18, 5) << 2, 16));
  return body(set ? "tbnz" : "tbz", `${regName(rt, b5 === 1, false)}, #${bitNumber}, ${target(to)}`, [], {
    kind: "branch",
    target: to,
    test: { kind: set ? "bit_set" : "bit_clear", reg: irReg(rt, false), width: b5 === 1 ? 64 : 32, bit: bitNumber },
  });
}

function exception(word: number): InsnBody | undefined {
  const opc = field(word, 23, 21);
  const imm = field(word, 20, 5);
  const tail = field(word, 4, 0);
  if (opc === 0 && tail === 0b00001) return body("svc", hexImm(imm), [{ op: "svc", imm }]);
  if (opc === 1 && tail === 0) return body("brk", hexImm(imm), [], { kind: "trap", reason: `brk #0x${imm.toString(16)}` });
  return undefined;
}

const hintNames = ["nop", "yield", "wfe", "wfi", "sev", "sevl"];
const barrierOptions: Record<number, string> = {
  1: "oshld", 2: "oshst", 3: "osh", 5: "nshld", 6: "nshst", 7: "nsh",
  9: "ishld", 10: "ishst", 11: "ish", 13: "ld", 14: "st", 15: "sy",
};

/** System registers by op0:op1:CRn:CRm:op2 (op0 is 2 or 3). */
const systemRegisters: Record<number, (typeof systemRegisterNames)[number]> = {
  [sysKey(3, 3, 13, 0, 2)]: "tpidr_el0",
  [sysKey(3, 3, 13, 0, 3)]: "tpidrro_el0",
  [sysKey(3, 3, 14, 0, 2)]: "cntvct_el0",
  [sysKey(3, 3, 14, 0, 1)]: "cntpct_el0",
  [sysKey(3, 3, 14, 0, 0)]: "cntfrq_el0",
  [sysKey(3, 3, 0, 0, 1)]: "ctr_el0",
  [sysKey(3, 3, 0, 0, 7)]: "dczid_el0",
  [sysKey(3, 3, 4, 4, 0)]: "fpcr",
  [sysKey(3, 3, 4, 4, 1)]: "fpsr",
  [sysKey(3, 3, 4, 2, 0)]: "nzcv",
};
const writable = new Set<string>(writableSystemRegisterNames);

function sysKey(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

function system(word: number): InsnBody | undefined {
  const read = bit(word, 21) === 1;
  const op0 = field(word, 20, 19);
  const op1 = field(word, 18, 16);
  const crn = field(word, 15, 12);
  const crm = field(word, 11, 8);
  const op2 = field(word, 7, 5);
  const rt = field(word, 4, 0);
  if (!read && op0 === 0 && op1 === 3 && rt === 31) {
    if (crn === 2) {
      const name = crm === 0 ? hintNames[op2] : undefined;
      return name === undefined ? undefined : body(name, "", []);
    }
    if (crn === 3) return barrier(crm, op2);
    return undefined;
  }
  if (op0 < 2) return undefined;
  const reg = systemRegisters[sysKey(op0, op1, crn, crm, op2)];
  if (reg === undefined) return undefined;
  if (read) return body("mrs", `${regName(rt, true, false)}, ${reg}`, [{ op: "sysreg_read", dst: irReg(rt, false), reg }]);
  if (!writable.has(reg)) return undefined;
  return body("msr", `${reg}, ${regName(rt, true, false)}`, [
    { op: "sysreg_write", reg: reg as (typeof writableSystemRegisterNames)[number], src: irReg(rt, false) },
  ]);
}

function barrier(crm: number, op2: number): InsnBody | undefined {
  const option = barrierOptions[crm] ?? `#0x${crm.toString(16).padStart(2, "0")}`;
  switch (op2) {
    case 2:
      return body("clrex", crm === 15 ? "" : hexImm(crm), [{ op: "clrex" }]);
    case 4:
      if (crm === 0) return body("ssbb", "", []);
      if (crm === 4) return body("pssbb", "", []);
      return body("dsb", option, []);
    case 5:
      return body("dmb", option, []);
    case 6:
      return body("isb", crm === 15 ? "" : hexImm(crm), []);
    default:
      return undefined;
  }
}

function branchRegister(word: number): InsnBody | undefined {
  const opc = field(word, 24, 21);
  if (field(word, 20, 16) !== 31 || field(word, 15, 10) !== 0 || field(word, 4, 0) !== 0 || opc > 2) return undefined;
  const rn = field(word, 9, 5);
  const reg = irReg(rn, false);
  const name = regName(rn, true, false);
  if (opc === 0) return body("br", name, [], { kind: "jump_indirect", reg });
  if (opc === 1) return body("blr", name, [], { kind: "call_indirect", reg });
  return body("ret", rn === 30 ? "" : name, [], { kind: "ret", reg });
}
