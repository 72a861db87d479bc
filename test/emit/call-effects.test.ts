// What a direct call may touch in the CPU state (src/emit/call-effects.ts), and the C emitted around it.
import { describe, expect, it } from "vitest";
import type { IrFunction, IrOp, IrTerminator } from "../../src/config/module-json.js";
import { allRegisters, unitCallEffects } from "../../src/emit/call-effects.js";
import { emitUnitC } from "../../src/emit/emit-c.js";
import { keepProvenTables } from "../../src/emit/proven-tables.js";
import { functionC } from "../helpers/guest-source.js";

/** A one-block function at `entry` with `ops`, ending in `end` (ret x30 by default). */
function fn(entry: string, ops: IrOp[], end: IrTerminator = { op: "ret", src: "x30" }): IrFunction {
  return { name: `fn_${entry.slice(2)}`, entry, blocks: [{ label: `b_${entry.slice(2)}`, start: entry, ops, terminator: end }] };
}
const call = (addr: string, ret: string): IrOp => ({ op: "call", target: `fn_${addr.slice(2)}`, addr, ret });
const add = (dst: string, lhs: string, rhs: string): IrOp => ({ op: "add_i64", dst, lhs, rhs });
const reach = (functions: IrFunction[], target: string): string[] => [...(unitCallEffects(functions).touched(call(target, "0x0")) ?? [])].sort();
const changes = (functions: IrFunction[], target: string): string[] => [...(unitCallEffects(functions).changed(call(target, "0x0")) ?? [])].sort();

describe("call effects", () => {
  it("reach the callee's registers and those of what it calls, to a fixed point over recursion", () => {
    const leaf = fn("0x1000", [add("x0", "x0", "x1")]);
    const middle = fn("0x2000", [add("x2", "x2", "#0x1"), call("0x1000", "0x2008"), call("0x3000", "0x200c")]);
    const recursive = fn("0x3000", [add("x3", "x3", "#0x1"), call("0x2000", "0x3008")]);
    const functions = [leaf, middle, recursive];
    expect(reach(functions, "0x1000")).toEqual(["x0", "x1", "x30"]);
    expect(reach(functions, "0x2000")).toEqual(["x0", "x1", "x2", "x3", "x30"]);
    expect(reach(functions, "0x3000")).toEqual(["x0", "x1", "x2", "x3", "x30"]);
  });

  it("are every register for svc, indirect calls and branches, and callees outside the unit", () => {
    const cases: IrFunction[] = [
      fn("0x1000", [{ op: "svc", imm: 0 }]),
      fn("0x2000", [{ op: "call_indirect", src: "x8", ret: "0x2004" }]),
      fn("0x3000", [], { op: "br_indirect", src: "x8", table: [] }),
      fn("0x4000", [call("0x9000", "0x4004")]),
      fn("0x5000", [], { op: "tail_call", target: "fn_9000", addr: "0x9000" }),
      fn("0x6000", [call("0x1000", "0x6004")]),
    ];
    for (const callee of cases) expect(reach(cases, callee.entry)).toEqual([...allRegisters].sort());
    expect(unitCallEffects(cases).touched({ op: "svc", imm: 0 })).toBe(allRegisters);
  });

  it("are the callee's own registers when its jump table is proven complete, whose miss faults without stores", () => {
    const complete = { table: "0x8000", bytes: 2 };
    const cases: IrTerminator = { op: "br_indirect", src: "x8", table: [{ addr: "0x3004", target: "b_3004" }, { addr: "0x3008", target: "b_3008" }], complete };
    const switcher: IrFunction = {
      name: "fn_3000",
      entry: "0x3000",
      blocks: [
        { label: "b_3000", start: "0x3000", ops: [add("x8", "x0", "#0x3004"), add("x9", "x9", "#0x1")], terminator: cases },
        { label: "b_3004", start: "0x3004", ops: [add("x0", "x0", "#0x1")], terminator: { op: "ret", src: "x30" } },
        { label: "b_3008", start: "0x3008", ops: [add("x0", "x0", "#0x2")], terminator: { op: "ret", src: "x30" } },
      ],
    };
    expect(reach([switcher], "0x3000")).toEqual(["x0", "x30", "x8", "x9"]);
    const c = emitUnitC({ path: "guest/u_head.c", functions: [switcher] });
    const miss = c.slice(c.indexOf("default: break;"), c.indexOf("b_3004:;"));
    expect(miss).toContain("rt_table_miss(x8, UINT64_C(0x3000));");
    expect(miss).not.toContain("cpu->");
    expect(c).not.toContain("rt_call_indirect");
    // Two branches over the same complete table share one switch whose miss faults the same way.
    const twice: IrFunction = {
      ...switcher,
      blocks: [
        { label: "b_3000", start: "0x3000", ops: [add("x8", "x0", "#0x3004")], terminator: { op: "br_cond", cond: "eq", then: "b_3010", else: "b_3020" } },
        { label: "b_3010", start: "0x3010", ops: [add("x8", "x8", "#0x4")], terminator: cases },
        { label: "b_3020", start: "0x3020", ops: [], terminator: cases },
        ...switcher.blocks.slice(1),
      ],
    };
    const shared = emitUnitC({ path: "guest/u_head.c", functions: [twice] });
    expect(shared.slice(shared.indexOf("dispatch_0:;"))).toContain("rt_table_miss(dispatch_target, dispatch_pc);");
    expect(shared).not.toContain("rt_call_indirect");
    // Bytes the run may write (a writable region) keep the dispatch by function entry, and its reach.
    const region = { name: "data", base: 0x8000n, size: 0x1000n, read: true, write: true, execute: false };
    const readOnly = { ...region, size: 0x100n, write: false };
    const [kept] = keepProvenTables([switcher], [readOnly]);
    expect(kept).toBe(switcher);
    // Writable: the region itself, or one that shares the table's page.
    for (const regions of [[region], [readOnly, { ...region, base: 0x8100n, size: 0x100n }]]) {
      const [dropped] = keepProvenTables([switcher], regions);
      expect(dropped?.blocks[0]?.terminator).toEqual({ ...cases, complete: undefined });
      expect(reach(dropped === undefined ? [] : [dropped], "0x3000")).toEqual([...allRegisters].sort());
    }
  });

  it("keep registers the callee cannot reach in C locals across the call, and pass the arguments as C values", () => {
    const leaf = fn("0x1000", [add("x0", "x0", "x1")]);
    const caller = fn("0x2000", [add("x19", "x19", "#0x1"), add("x0", "x19", "#0x0"), call("0x1000", "0x2008"), add("x19", "x19", "x0")]);
    const c = emitUnitC({ path: "guest/u_head.c", functions: [leaf, caller] });
    const body = functionC(c, "f_2000");
    const around = body.slice(body.indexOf("x30 = UINT64_C(0x2008);"), body.indexOf("if (result.pc"));
    // x0, x1 and x30 go in host registers; x0 comes back the same way.
    expect(around).toContain("rt_return result = f_1000(cpu, x0, x1, x30);");
    expect(around).toContain("x0 = result.x0;");
    expect(around).not.toContain("cpu->");
    // x19 changed before the call and after it: stored once, at the return, with x30 (the callee left it as it was).
    expect(body.slice(body.indexOf("x19 = x19 + x0;"))).toContain("cpu->x[19] = x19;\n  cpu->x[30] = x30;\n  return (rt_return){x30, x0};");
    // The callee stores nothing: x0 is its C result, and it changes no other register.
    const callee = functionC(c, "f_1000");
    expect(callee).not.toContain("cpu->");
    expect(callee).toContain("return (rt_return){x30, x0};");
  });
  it("reload after a call only what the callee can change on a path that returns, not what its abort path reaches", () => {
    // 0x1000 compares x0 and returns, or calls abort (another unit, every register) and traps.
    const checked: IrFunction = {
      name: "fn_1000",
      entry: "0x1000",
      blocks: [
        { label: "b_1000", start: "0x1000", ops: [add("x1", "x0", "#0x1")], terminator: { op: "br_test", test: "zero", src: "x0", width: 64, then: "b_1010", else: "b_1020" } },
        { label: "b_1010", start: "0x1010", ops: [], terminator: { op: "ret", src: "x30" } },
        { label: "b_1020", start: "0x1020", ops: [call("0x9000", "0x1024")], terminator: { op: "trap", reason: "abort does not return", pc: "0x1024" } },
      ],
    };
    const caller = fn("0x2000", [add("x19", "x19", "#0x1"), call("0x1000", "0x2008"), add("x0", "x19", "x1")]);
    expect(reach([checked, caller], "0x1000")).toEqual([...allRegisters].sort());
    expect(changes([checked, caller], "0x1000")).toEqual(["x1"]);
    const c = emitUnitC({ path: "guest/u_head.c", functions: [checked, caller] });
    const body = functionC(c, "f_2000");
    const around = body.slice(body.indexOf("x30 = UINT64_C(0x2008);"), body.indexOf("if (result.pc"));
    // x19 is stored for the abort path to see, and kept in its local after the call.
    expect(around).toContain("cpu->x[19] = x19;");
    expect(around).toContain("x1 = rt_reg(cpu->x[1]);");
    expect(around).not.toContain("x19 = rt_reg(");
  });
  it("emit a call the lift ends with a trap as one call that never returns, and declare its callee", () => {
    const aborting = fn("0x1000", [add("x1", "x0", "#0x1"), call("0x9000", "0x1008")], { op: "trap", reason: "fn_9000 does not return", pc: "0x1008" });
    // A trap elsewhere than the return address keeps the plain call and its check. (No asm ops: the pc is the block's start.)
    const other = fn("0x2000", [call("0x9000", "0x2008")], { op: "trap", reason: "unsupported", pc: "0x200c" });
    const c = emitUnitC({ path: "guest/u_head.c", functions: [aborting, other] });
    expect(c).toContain("rt_return f_9000(recomp_cpu *restrict cpu, uint64_t x0, uint64_t x1, uint64_t x30);");
    const first = functionC(c, "f_1000");
    expect(first).toContain("cpu->x[1] = x1;");
    expect(first).toContain('rt_call_no_return(cpu, f_9000, UINT64_C(0x1008), UINT64_C(0x1000), "fn_9000 does not return");');
    expect(first).not.toContain("rt_trap(");
    const second = functionC(c, "f_2000");
    // A callee of another unit may touch every register: all the arguments are passed.
    expect(second).toContain("rt_return result = f_9000(cpu, x0, x1, x30);");
    expect(second).toContain('rt_trap("unsupported", UINT64_C(0x200c));');
  });
});
