// V registers in C locals (src/emit/vector-locals.ts): loaded where first needed, stored only where other code can see them.
import { describe, expect, it } from "vitest";
import type { IrBlock, IrFunction, IrOp, IrTerminator } from "../../src/config/module-json.js";
import { emitUnitC } from "../../src/emit/emit-c.js";
import { functionC } from "../helpers/guest-source.js";

const block = (label: string, ops: IrOp[], terminator: IrTerminator): IrBlock => ({ label, start: `0x${label.slice(2)}`, ops, terminator });
const helper = (fn: string, args: (string | number)[], dst?: string): IrOp => (dst === undefined ? { op: "helper", fn, args } : { op: "helper", fn, args, dst });
const fadd = (d: number, n: number, m: number): IrOp => helper("fp_arith", [0, 2, d, n, m]);
const ret: IrTerminator = { op: "ret", src: "x30" };
/** A one-block function at `entry` that returns after `ops`. */
const straight = (entry: string, ops: IrOp[]): IrFunction => ({ name: `fn_${entry.slice(2)}`, entry, blocks: [block(`b_${entry.slice(2)}`, ops, ret)] });
/** The C between two markers of `c`. */
const between = (c: string, from: string, to: string): string => c.slice(c.indexOf(from), c.indexOf(to, c.indexOf(from)));

/** 0x100: d0 = 0; 0x110: d0 += d1 while x0-- != 0; 0x120: returns. */
const loop: IrFunction = {
  name: "sum",
  entry: "0x100",
  blocks: [
    block("b_100", [helper("fp_set", [0, "xzr", 8])], { op: "br", target: "b_110" }),
    block("b_110", [fadd(0, 0, 1), { op: "sub_i64", dst: "x0", lhs: "x0", rhs: "#0x1" }], { op: "br_test", test: "nonzero", src: "x0", width: 64, then: "b_110", else: "b_120" }),
    block("b_120", [], ret),
  ],
};

describe("V registers in locals", () => {
  it("keep a loop's FP arithmetic in locals: loaded at entry if read, stored at the return if written", () => {
    const c = emitUnitC({ path: "guest/u_head.c", functions: [loop] });
    expect(c).toContain("rt_v128 v0 = {0, 0}, v1 = rt_v128_of(&cpu->vreg[1]);");
    const body = between(c, "b_110:;", "b_120:;");
    expect(body).toContain("v0.lo = rt_a64_fp_arith(cpu, UINT64_C(0x110), 0, 2, v0.lo, v1.lo); v0.hi = 0;");
    expect(body).not.toContain("cpu->vreg");
    const exit = c.slice(c.indexOf("b_120:;"));
    expect(exit).toContain("rt_v128_store(&cpu->vreg[0], v0);");
    expect(exit).not.toContain("cpu->vreg[1]");
  });

  it("store the dirty ones before a helper over the CPU state's V registers, and reload the live ones after", () => {
    const fn = straight("0x200", [fadd(2, 3, 4), helper("simd_dup_general", [5, "x1", 3, 2]), fadd(0, 2, 5), helper("fp_get", [0, 8, 0], "x0")]);
    const c = emitUnitC({ path: "guest/u_head.c", functions: [fn] });
    const around = between(c, "rt_v128_store(&cpu->vreg[2], v2);", "/* ");
    expect(around).toContain("rt_a64_simd_dup_general(cpu, UINT64_C(0x200), 5, x1, 3, 2);");
    expect(around).toContain("v2 = rt_v128_of(&cpu->vreg[2]);");
    expect(around).toContain("v5 = rt_v128_of(&cpu->vreg[5]);");
    // v3 and v4 were never written: nothing to store; v0 is written after the helper and read by fmov x0, d0.
    expect(around).not.toContain("vreg[3]");
    expect(c).toContain("x0 = v0.lo;");
  });

  it("store what a callee may read before a call and reload only what it may change", () => {
    const callee = straight("0x300", [fadd(0, 0, 1)]);
    const caller = straight("0x400", [fadd(1, 8, 8), fadd(8, 8, 8), { op: "call", target: "fn_300", addr: "0x300", ret: "0x408" }, fadd(0, 0, 8)]);
    const c = emitUnitC({ path: "guest/u_head.c", functions: [callee, caller] });
    const around = between(functionC(c, "f_400"), "x30 = UINT64_C(0x408);", "if (result.pc");
    expect(around).toContain("rt_v128_store(&cpu->vreg[1], v1);");
    expect(around).not.toContain("cpu->vreg[8]");
    expect(around).toContain("v0 = rt_v128_of(&cpu->vreg[0]);");
    expect(around).not.toContain("v1 = rt_v128_of(");
  });

  it("load and store B..Q registers as one guest access, a Q register through a temporary", () => {
    const fn = straight("0x500", [helper("load_vec", ["x0", "#0x10", 3, 16]), helper("store_vec", ["x1", "#0x0", 3, 16]), helper("load_vec", ["x0", "#0x0", 4, 4])]);
    const c = emitUnitC({ path: "guest/u_head.c", functions: [fn] });
    expect(c).toContain("{ rt_vreg q; rt_guest_ld128(mem, x0 + UINT64_C(0x10), q.b, 0x500); v3.lo = q.d[0]; v3.hi = q.d[1]; }");
    expect(c).toContain("{ rt_vreg q; q.d[0] = v3.lo; q.d[1] = v3.hi; rt_guest_st128(mem, x1 + UINT64_C(0x0), q.b, 0x500); }");
    expect(c).toContain("v4.lo = rt_guest_ld32(mem, x0 + UINT64_C(0x0), 0x500); v4.hi = 0;");
  });
  it("keep NZCV of fcmp, fccmp and fcsel in the function's local, never in the CPU state", () => {
    const fn: IrFunction = {
      name: "compare",
      entry: "0x600",
      blocks: [
        block(
          "b_600",
          [helper("fp_compare", [0, 1, 2, 1, 0]), helper("fp_ccmp", [1, 2, 2, 3, 4, 0]), helper("fp_csel", [1, 5, 6, 7, 11])],
          { op: "br_cond", cond: "vs", then: "b_610", else: "b_610" },
        ),
        block("b_610", [], ret),
      ],
    };
    const c = emitUnitC({ path: "guest/u_head.c", functions: [fn] });
    expect(c).toContain("rt_nzcv_set(&fl, rt_a64_fp_compare(cpu, UINT64_C(0x600), 0, 1, 2, v1.lo, UINT64_C(0)));");
    expect(c).toContain("rt_nzcv_set(&fl, fl.z ? rt_a64_fp_compare(cpu, UINT64_C(0x600), 1, 0, 2, v2.lo, v3.lo) : 4u);");
    expect(c).toContain("v5.lo = ((fl.n != fl.v) ? v6.lo : v7.lo) & UINT64_C(0xffffffff); v5.hi = 0;");
    expect(c.slice(c.indexOf("goto b_600;"))).not.toContain("cpu->flags");
  });
});
