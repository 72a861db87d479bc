// Registers only an abort path reads are loaded on it, not at the entry (src/emit/cold-loads.ts).
import { describe, expect, it } from "vitest";
import type { IrBlock, IrFunction, IrOp, IrTerminator } from "../../src/config/module-json.js";
import { coldBlocks } from "../../src/emit/cold-loads.js";
import { emitUnitC } from "../../src/emit/emit-c.js";

const block = (label: string, ops: IrOp[], terminator: IrTerminator): IrBlock => ({ label, start: `0x${label.slice(2)}`, ops, terminator });
const add = (dst: string, lhs: string, rhs: string): IrOp => ({ op: "add_i64", dst, lhs, rhs });
const trap: IrTerminator = { op: "trap", reason: "abort does not return", pc: "0x13c" };

/**
 * 0x100 tests x0 and returns (0x110), or goes to 0x120, which saves x29 and x30 below sp, calls abort at 0x9000
 * (another unit) and traps; 0x120 also falls into 0x130 when x1 is zero, which adds x2 to x5 (x5 written only there).
 */
const guarded: IrFunction = {
  name: "guarded",
  entry: "0x100",
  blocks: [
    block("b_100", [add("x3", "x0", "#0x1")], { op: "br_test", test: "zero", src: "x0", width: 64, then: "b_110", else: "b_120" }),
    block("b_110", [], { op: "ret", src: "x30" }),
    block(
      "b_120",
      [
        add("t0", "sp", "#0xfffffffffffffff0"),
        { op: "store_i64", src: "x29", addr: "t0", offset: 0 },
        { op: "store_i64", src: "x30", addr: "t0", offset: 8 },
        add("sp", "t0", "#0x0"),
        add("x5", "x2", "#0x0"),
      ],
      { op: "br_test", test: "zero", src: "x1", width: 64, then: "b_130", else: "b_138" },
    ),
    block("b_130", [add("x5", "x5", "x2")], { op: "br", target: "b_138" }),
    block("b_138", [{ op: "call", target: "fn_9000", addr: "0x9000", ret: "0x13c" }], trap),
  ],
};

describe("cold loads", () => {
  it("find the blocks from which every path ends the run", () => {
    expect([...coldBlocks(guarded)].sort()).toEqual(["b_120", "b_130", "b_138"]);
  });

  it("load what only the abort path reads where it starts, and the rest at the entry", () => {
    const c = emitUnitC({ path: "guest/u_head.c", functions: [guarded] });
    // x0, x1 and x30 are C arguments (call-abi.ts): never loaded, on the abort path neither.
    const declarations = c.slice(c.indexOf("  uint64_t "), c.indexOf(";", c.indexOf("  uint64_t ")));
    for (const name of ["x2", "x29", "sp"]) expect(declarations).toContain(`${name} = 0`);
    expect(declarations).not.toMatch(/\bx[01] =|x30 =/);
    const abort = c.slice(c.indexOf("b_120:;"), c.indexOf("/* 0x120"));
    expect(abort).toContain("x2 = rt_reg(cpu->x[2]);");
    expect(abort).toContain("x29 = rt_reg(cpu->x[29]);");
    expect(abort).toContain("sp = rt_reg(cpu->sp);");
    expect(abort).not.toContain("x1 = rt_reg(");
    // 0x130 is entered from the abort path only: nothing is loaded there, x5 keeps what 0x120 wrote.
    expect(c.slice(c.indexOf("b_130:;"), c.indexOf("b_138:;"))).not.toContain("rt_reg(");
  });
});
