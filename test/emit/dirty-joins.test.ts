// Where the dirty-register sets of a function's blocks meet by intersection, and the stores on branches into those
// blocks (src/emit/dirty-joins.ts).
import { describe, expect, it } from "vitest";
import type { IrBlock, IrFunction, IrOp, IrTerminator } from "../../src/config/module-json.js";
import { callArguments } from "../../src/emit/call-abi.js";
import { fullCallEffects } from "../../src/emit/call-effects.js";
import { cycleComponents, dirtyAtBlockStarts, intersectionBlocks } from "../../src/emit/dirty-joins.js";
import { emitUnitC } from "../../src/emit/emit-c.js";

const block = (label: string, ops: IrOp[], terminator: IrTerminator): IrBlock => ({ label, start: `0x${label.slice(2)}`, ops, terminator });
const add = (dst: string, lhs: string, rhs: string): IrOp => ({ op: "add_i64", dst, lhs, rhs });
const branch = (then: string, otherwise: string): IrTerminator => ({ op: "br_test", test: "zero", src: "x0", width: 64, then, else: otherwise });

/**
 * 0x100 tests x0: 0x110 writes x5 (the cold side), 0x120 writes nothing; both go to 0x130, which returns. 0x140 is a
 * loop (it branches to itself) that 0x130 never reaches, and 0x150 a jump-table target.
 */
const diamond: IrFunction = {
  name: "diamond",
  entry: "0x100",
  blocks: [
    block("b_100", [], branch("b_110", "b_120")),
    block("b_110", [add("x5", "x0", "#0x1")], { op: "br", target: "b_130" }),
    block("b_120", [], { op: "br", target: "b_130" }),
    block("b_130", [add("x1", "x0", "#0x2")], { op: "ret", src: "x30" }),
    block("b_140", [add("x2", "x2", "#0x1")], branch("b_140", "b_150")),
    block("b_150", [], { op: "br_indirect", src: "x3", table: [{ addr: "0x150", target: "b_150" }] }),
  ],
};

describe("dirty joins", () => {
  it("find the blocks on cycles and meet by intersection only outside them, off jump tables and the entry", () => {
    const components = cycleComponents(diamond);
    expect([...components.keys()].sort()).toEqual(["b_140", "b_150"]);
    expect(components.get("b_140")).not.toBe(components.get("b_150"));
    expect([...intersectionBlocks(diamond)].sort()).toEqual(["b_110", "b_120", "b_130"]);
  });

  it("keep a register written on one path dirty on that path only", () => {
    const dirty = dirtyAtBlockStarts(diamond, fullCallEffects);
    // The C arguments are dirty from the entry on (call-abi.ts); x5 is not, at the join.
    expect([...(dirty.get("b_130") ?? [])].sort()).toEqual([...callArguments].sort());
    expect([...(dirty.get("b_140") ?? [])]).toEqual(["x2"]);
  });

  it("store it on the branch out of that path, so the entry does not load it", () => {
    const c = emitUnitC({ path: "guest/u_head.c", functions: [diamond] });
    expect(c).toMatch(/uint64_t [^;]*\bx5 = 0[,;]/);
    expect(c).toContain("{ cpu->x[5] = x5; goto b_130; }");
    const exit = c.slice(c.indexOf("b_130:;"), c.indexOf("b_140:;"));
    expect(exit).toContain("cpu->x[1] = x1;");
    expect(exit).not.toContain("cpu->x[5]");
  });

  it("store a register written before a loop once on the way in, not at the call in every iteration", () => {
    // 0x200 writes x20 and enters the loop 0x210-0x220, whose call (to another unit: it may read any register) syncs
    // x20; 0x220 writes x19 and loops or returns.
    const call: IrOp = { op: "call", target: "fn_9000", addr: "0x9000", ret: "0x214" };
    const loop: IrFunction = {
      name: "loop",
      entry: "0x200",
      blocks: [
        block("b_200", [add("x20", "x0", "#0x1")], { op: "br", target: "b_210" }),
        block("b_210", [call], { op: "br", target: "b_220" }),
        block("b_220", [add("x19", "x19", "#0x1")], branch("b_230", "b_210")),
        block("b_230", [], { op: "ret", src: "x30" }),
      ],
    };
    const dirty = dirtyAtBlockStarts(loop, fullCallEffects);
    // x0 comes back from the call as its C result, not through the CPU state.
    expect([...(dirty.get("b_210") ?? [])].sort()).toEqual(["x0", "x19"]);
    const c = emitUnitC({ path: "guest/u_head.c", functions: [loop] });
    expect(c).toMatch(/\{ [^}]*cpu->x\[20\] = x20;[^}]* goto b_210; \}/);
    const body = c.slice(c.indexOf("b_210:;"), c.indexOf("b_220:;"));
    expect(body).toContain("cpu->x[19] = x19;");
    expect(body).not.toContain("cpu->x[20]");
  });
});
