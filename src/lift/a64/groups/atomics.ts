// lift/a64/groups: LSE atomics (ld<op>, st<op>, swp, cas, casp), ldapr, and the exclusive pairs (ldxp, stxp).
import { atomicOperationNames, type IrOp } from "../../../config/module-json.js";
import type { Encoding } from "../encoding-table.js";
import { irReg, regName } from "../operands.js";
import { body } from "../types.js";

const sizeSuffix = ["b", "h", "", ""];
const loadOps = ["load_i8", "load_i16", "load_i32", "load_i64"];

/** "[x3]" / "[sp]": every form here addresses memory through a base register alone. */
const baseText = (n: number): string => `[${regName(n, true, true)}]`;
const bitsOf = (size: number) => (8 << size) as 8 | 16 | 32 | 64;
const orderText = (acquire: number, release: number): string => `${acquire ? "a" : ""}${release ? "l" : ""}`;

export const encodings: Encoding[] = [
  {
    name: "LDADD, LDCLR, LDEOR, LDSET, LD{S,U}{MAX,MIN}, SWP, LDAPR",
    pattern: "zz111000ar1sssssoppp00nnnnnttttt",
    decode: ({ z, a, r, s, o, p, n, t }) => {
      if (o === 1 && p === 4 && a === 1 && r === 0 && s === 31) {
        const op: IrOp = { op: loadOps[z], dst: irReg(t, false), addr: irReg(n, true), offset: 0 };
        return body(`ldapr${sizeSuffix[z]}`, `${regName(t, z === 3, false)}, ${baseText(n)}`, [op]);
      }
      if (o === 1 && p !== 0) return undefined;
      const operation = o === 1 ? "swp" : atomicOperationNames[p];
      const is64 = z === 3;
      const op: IrOp = { op: "atomic_rmw", operation, bits: bitsOf(z), dst: irReg(t, false), src: irReg(s, false), addr: irReg(n, true) };
      // st<op>: the alias when the old value is discarded and there is no acquire.
      if (o === 0 && a === 0 && t === 31) return body(`st${operation}${r ? "l" : ""}${sizeSuffix[z]}`, `${regName(s, is64, false)}, ${baseText(n)}`, [op]);
      const name = `${o === 1 ? "swp" : `ld${operation}`}${orderText(a, r)}${sizeSuffix[z]}`;
      return body(name, `${regName(s, is64, false)}, ${regName(t, is64, false)}, ${baseText(n)}`, [op]);
    },
  },
  {
    name: "CAS",
    pattern: "zz0010001l1sssssu11111nnnnnttttt",
    decode: ({ z, l, s, u, n, t }) => {
      const is64 = z === 3;
      const op: IrOp = { op: "atomic_cas", bits: bitsOf(z), dst: irReg(s, false), expected: irReg(s, false), src: irReg(t, false), addr: irReg(n, true) };
      return body(`cas${orderText(l, u)}${sizeSuffix[z]}`, `${regName(s, is64, false)}, ${regName(t, is64, false)}, ${baseText(n)}`, [op]);
    },
  },
  {
    name: "CASP",
    pattern: "0z0010000l1sssssu11111nnnnnttttt",
    decode: ({ z, l, s, u, n, t }) => {
      if (s % 2 === 1 || t % 2 === 1) return undefined;
      const pair = (first: number): [string, string] => [irReg(first, false), irReg(first + 1, false)];
      const op: IrOp = { op: "atomic_casp", bits: z === 1 ? 64 : 32, dst: pair(s), expected: pair(s), src: pair(t), addr: irReg(n, true) };
      const names = [s, s + 1, t, t + 1].map((reg) => regName(reg, z === 1, false));
      return body(`casp${orderText(l, u)}`, `${names.join(", ")}, ${baseText(n)}`, [op]);
    },
  },
  {
    name: "LDXP, LDAXP, STXP, STLXP",
    pattern: "1z0010000l1sssssuwwwwwnnnnnttttt",
    decode: ({ z, l, s, u, w, n, t }) => {
      const bits = z === 1 ? 64 : 32;
      const pair = `${regName(t, z === 1, false)}, ${regName(w, z === 1, false)}, ${baseText(n)}`;
      const addr = irReg(n, true);
      if (l === 1) {
        return body(`ld${u ? "a" : ""}xp`, pair, [{ op: "load_excl_pair", bits, dst: [irReg(t, false), irReg(w, false)], addr }]);
      }
      const op: IrOp = { op: "store_excl_pair", bits, status: irReg(s, false), src: [irReg(t, false), irReg(w, false)], addr };
      return body(`st${u ? "l" : ""}xp`, `${regName(s, false, false)}, ${pair}`, [op]);
    },
  },
];
