// Shared stores of branches to one place (src/emit/store-stubs.ts) and compares read in place (src/emit/flag-operands.ts).
import { describe, expect, it } from "vitest";
import type { IrBlock, IrFunction, IrOp, IrTerminator } from "../../src/config/module-json.js";
import { emitUnitC } from "../../src/emit/emit-c.js";
import { flagOperandsKept } from "../../src/emit/flag-operands.js";
import { planStoreStubs } from "../../src/emit/store-stubs.js";

const block = (label: string, ops: IrOp[], terminator: IrTerminator): IrBlock => ({ label, start: `0x${label.slice(2)}`, ops, terminator });
const add = (dst: string, lhs: string, rhs: string): IrOp => ({ op: "add_i64", dst, lhs, rhs });
const test = (src: string, then: string, otherwise: string): IrTerminator => ({ op: "br_test", test: "zero", src, width: 64, then, else: otherwise });
const cmp = (lhs: string, rhs: string): IrOp => ({ op: "cmp_i64", lhs, rhs });
const order = ["x1", "x2", "x3", "x5"];

describe("store stubs", () => {
  it("share a store set used twice, chain a superset to it, and leave an unrelated set used once inline", () => {
    const plan = planStoreStubs(
      [
        { exit: "b_9", registers: new Set(["x2", "x1"]) },
        { exit: "b_9", registers: new Set(["x1"]) },
        { exit: "b_9", registers: new Set(["x1", "x2"]) },
        { exit: "b_8", registers: new Set(["x5"]) },
        { exit: "b_9", registers: new Set() },
      ],
      order,
    );
    expect(plan.stubs.map((stub) => [stub.label, [...stub.registers].sort(), stub.parent?.label])).toEqual([
      ["stores_0", ["x1", "x2"], "stores_1"],
      ["stores_1", ["x1"], undefined],
    ]);
    expect(plan.stubFor("b_9", new Set(["x1", "x2"]))).toBe("stores_0");
    expect(plan.stubFor("b_8", new Set(["x5"]))).toBeUndefined();
  });

  /**
   * 0x100 and 0x104 test x0 and x3: 0x110 writes x5 and x6, 0x120 x6, 0x130 x7; all three go to 0x140, which returns.
   * (Not x1: C arguments are dirty from the entry on, call-abi.ts.)
   */
  const join: IrFunction = {
    name: "join",
    entry: "0x100",
    blocks: [
      block("b_100", [], test("x0", "b_110", "b_104")),
      block("b_104", [], test("x3", "b_120", "b_130")),
      block("b_110", [add("x5", "x0", "#0x1"), add("x6", "x0", "#0x2")], { op: "br", target: "b_140" }),
      block("b_120", [add("x6", "x0", "#0x3")], { op: "br", target: "b_140" }),
      block("b_130", [add("x7", "x0", "#0x4")], { op: "br", target: "b_140" }),
      block("b_140", [], { op: "ret", src: "x30" }),
    ],
  };

  it("write each register's store once for branches into one block that store nested sets", () => {
    const c = emitUnitC({ path: "guest/u_head.c", functions: [join] });
    expect(c.split("cpu->x[5] = x5;")).toHaveLength(2);
    expect(c.split("cpu->x[6] = x6;")).toHaveLength(2);
    expect(c).toContain("{ cpu->x[7] = x7; goto b_140; }");
    expect(c.slice(c.indexOf("stores_0:;"))).toContain("stores_0:;\n  cpu->x[5] = x5;\n  goto stores_1;\nstores_1:;\n  cpu->x[6] = x6;\n  goto b_140;");
  });
});

describe("compares read in place", () => {
  it("read the operands in place unless an op of the block overwrites one while the flags are the compare's", () => {
    const select: IrOp = { op: "csel_i64", dst: "x4", cond: "eq", lhs: "x5", rhs: "x6" };
    expect(flagOperandsKept([cmp("x1", "x2"), add("x3", "x1", "#0x1"), select])).toEqual([true, false, false]);
    expect(flagOperandsKept([cmp("x1", "x2"), add("x1", "x1", "#0x1"), select])).toEqual([false, false, false]);
    expect(flagOperandsKept([{ op: "subs_i64", dst: "x1", lhs: "x1", rhs: "#0x1" }])).toEqual([false]);
    expect(flagOperandsKept([cmp("t0", "x2"), add("t0", "x1", "#0x1")])).toEqual([false, false]);
    // A later compare ends the first one's flags before x1 is written.
    expect(flagOperandsKept([cmp("x1", "x2"), cmp("x3", "x4"), add("x1", "x1", "#0x1")])).toEqual([true, true, false]);
  });

  it("compare the registers in the branch, with no copies into fl_a and fl_b", () => {
    const compare: IrFunction = {
      name: "compare",
      entry: "0x100",
      blocks: [
        block("b_100", [cmp("x1", "x2")], { op: "br_cond", cond: "ne", then: "b_110", else: "b_120" }),
        block("b_110", [], { op: "ret", src: "x30" }),
        block("b_120", [], { op: "ret", src: "x30" }),
      ],
    };
    const c = emitUnitC({ path: "guest/u_head.c", functions: [compare] });
    expect(c).toContain("if ((x1 != x2)) goto b_110;");
    expect(c).not.toContain("fl_a");
  });
});
