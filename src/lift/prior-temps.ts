// lift: register names of the prior art's IR to ours: x0..x30 kept, named temporaries packed into t0..t7.
import type { PriorOp, PriorTerminator } from "../config/prior-module-json.js";

/** A problem with one operand: the caller adds the file and the op's key path. */
export interface OperandProblem {
  index: number;
  field: string;
  message: string;
  hint: string;
}

const guestRegister = /^(x([0-9]|[12][0-9]|30)|sp|xzr)$/;
const temporarySlots = 8;

/** Fields of an op (or terminator) that name registers, and whether the op writes them. */
function operands(op: PriorOp | PriorTerminator): { field: string; name: string; writes: boolean }[] {
  const found: { field: string; name: string; writes: boolean }[] = [];
  const record = op as Record<string, unknown>;
  for (const field of ["lhs", "rhs", "src", "addr", "reg"]) {
    const value = record[field];
    if (typeof value === "string") found.push({ field, name: value, writes: false });
  }
  if (op.op === "syscall") op.args.forEach((name, i) => found.push({ field: `args[${i}]`, name, writes: false }));
  if ("dst" in op) found.push({ field: "dst", name: op.dst, writes: true });
  return found;
}

function registerProblem(name: string): string | undefined {
  if (name === "x31") return "x31 is sp or xzr depending on the instruction, and the prior art's IR does not say which";
  if (/^w([0-9]|[12][0-9]|30)$/.test(name)) return "32-bit register names are not part of the prior art's IR";
  return undefined;
}

/**
 * Maps every register name of one op list (plus its terminator, at index ops.length) to ours.
 * The prior art's temporaries were function locals with any name; ours are t0..t7, so each
 * temporary gets a slot for its live range (first write to last use) and slots are reused.
 */
export function mapRegisters(ops: readonly PriorOp[], terminator: PriorTerminator | undefined): { names: Map<string, string>; problems: OperandProblem[] } {
  const items = terminator === undefined ? [...ops] : [...ops, terminator];
  const names = new Map<string, string>();
  const problems: OperandProblem[] = [];
  const ranges = new Map<string, { first: number; last: number }>();
  items.forEach((op, index) => {
    for (const { field, name, writes } of operands(op)) {
      const problem = registerProblem(name);
      if (problem !== undefined) {
        problems.push({ index, field, message: `register "${name}": ${problem}`, hint: 'write "sp" or "xzr" (or "x0".."x30")' });
        continue;
      }
      if (guestRegister.test(name)) {
        names.set(name, name);
        continue;
      }
      const range = ranges.get(name);
      if (range === undefined) {
        // Reads come before the write within one op (dst is listed last), so a first sighting that is a read has no value.
        if (!writes) {
          problems.push({ index, field, message: `temporary "${name}" is read before it is written in this op list`, hint: "temporaries do not cross blocks; use an x register to carry a value between blocks" });
          continue;
        }
        ranges.set(name, { first: index, last: index });
      } else range.last = index;
    }
  });
  const slotFreeAfter: number[] = new Array<number>(temporarySlots).fill(-1);
  for (const [name, range] of [...ranges].sort((a, b) => a[1].first - b[1].first)) {
    const slot = slotFreeAfter.findIndex((last) => last < range.first);
    if (slot < 0) {
      problems.push({ index: range.first, field: "dst", message: `more than ${temporarySlots} temporaries are live at once (at "${name}")`, hint: "split the op list, or carry values in x registers" });
      continue;
    }
    slotFreeAfter[slot] = range.last;
    names.set(name, `t${slot}`);
  }
  return { names, problems };
}
