// emit: NZCV in C. Flags live in the local `fl` (rt_nzcv); a condition right after a compare in the same block is
// written on the compare's operands (fl_a, fl_b, or the registers themselves: flag-operands.ts), so the C compiler
// emits one host compare and drops unread flags.

/** What set the flags last in this block, and the C expressions of its operands at the use. */
export interface FlagSource {
  kind: "sub" | "add" | "logic";
  bits: 32 | 64;
  /** The first operand (for "logic", the result lhs & rhs): `fl_a`, or an expression of registers no op has changed since. */
  a: string;
  /** The second operand ("sub", "add"): `fl_b`, or such an expression. */
  b: string;
}

const materialized: Record<string, string> = {
  eq: "fl.z",
  ne: "!fl.z",
  cs: "fl.c",
  cc: "!fl.c",
  mi: "fl.n",
  pl: "!fl.n",
  vs: "fl.v",
  vc: "!fl.v",
  hi: "(fl.c && !fl.z)",
  ls: "!(fl.c && !fl.z)",
  ge: "(fl.n == fl.v)",
  lt: "(fl.n != fl.v)",
  gt: "(!fl.z && fl.n == fl.v)",
  le: "!(!fl.z && fl.n == fl.v)",
  al: "1",
  nv: "1",
};

type Relation = "==" | "!=" | "<" | "<=" | ">" | ">=";
const comparisons: Record<string, [signed: boolean, relation: Relation]> = {
  eq: [false, "=="],
  ne: [false, "!="],
  cs: [false, ">="],
  cc: [false, "<"],
  hi: [false, ">"],
  ls: [false, "<="],
  ge: [true, ">="],
  lt: [true, "<"],
  gt: [true, ">"],
  le: [true, "<="],
};

/** Conditions on the flags of r = fl_a & fl_b (C = V = 0), i.e. on the signed result alone; fl_a holds r. */
const onLogicResult: Record<string, string | [signed: boolean, relation: Relation]> = {
  eq: [false, "=="],
  ne: [false, "!="],
  mi: [true, "<"],
  pl: [true, ">="],
  cs: "0",
  cc: "1",
  vs: "0",
  vc: "1",
  hi: "0",
  ls: "1",
  ge: [true, ">="],
  lt: [true, "<"],
  gt: [true, ">"],
  le: [true, "<="],
};

function cast(value: string, bits: number, signed: boolean): string {
  const type = `${signed ? "int" : "uint"}${bits}_t`;
  return bits === 64 && !signed ? value : `(${type})${value}`;
}

function specialized(cond: string, source: FlagSource): string | undefined {
  const { kind, bits, a, b } = source;
  if (kind === "sub") {
    const compare = comparisons[cond];
    if (compare !== undefined) return `(${cast(a, bits, compare[0])} ${compare[1]} ${cast(b, bits, compare[0])})`;
    if (cond === "mi" || cond === "pl") return `(${cast(`(${a} - ${b})`, bits, true)} ${cond === "mi" ? "<" : ">="} 0)`;
    return undefined;
  }
  if (kind === "add") {
    const sum = cast(`(${a} + ${b})`, bits, false);
    const forms: Record<string, string> = {
      eq: `(${sum} == 0)`,
      ne: `(${sum} != 0)`,
      mi: `(${cast(`(${a} + ${b})`, bits, true)} < 0)`,
      pl: `(${cast(`(${a} + ${b})`, bits, true)} >= 0)`,
      cs: `(${sum} < ${cast(a, bits, false)})`,
      cc: `(${sum} >= ${cast(a, bits, false)})`,
    };
    return forms[cond];
  }
  const form = onLogicResult[cond];
  if (typeof form === "string" || form === undefined) return form;
  return `(${cast(a, bits, form[0])} ${form[1]} 0)`;
}

/** The C truth value of an A64 condition: on the last compare's operands when known, else on `fl`. */
export function condition(cond: string, source: FlagSource | undefined): string {
  if (cond === "al" || cond === "nv") return "1";
  return (source === undefined ? undefined : specialized(cond, source)) ?? materialized[cond];
}

/** Whether condition() reads the `fl` local, i.e. needs NZCV computed, rather than the compare's operands. */
export function readsFlagLocal(cond: string, source: FlagSource | undefined): boolean {
  if (cond === "al" || cond === "nv") return false;
  return source === undefined || specialized(cond, source) === undefined;
}

/** NZCV as the value mrs nzcv reads (bits 31..28). */
export const nzcvValue = "((uint64_t)fl.n << 31 | (uint64_t)fl.z << 30 | (uint64_t)fl.c << 29 | (uint64_t)fl.v << 28)";
