// lift: the prior art's module.json (src/config/prior-module-json.ts) converted to our IR (docs/ir.md), same semantics.
import type { IrBlock, IrFunction, IrOp, IrSegment, IrTerminator, ModuleJson } from "../config/module-json.js";
import { conditionNames, irVersion } from "../config/ir-names.js";
import type { PriorBlock, PriorFunction, PriorModuleJson, PriorOp, PriorSegment, PriorTerminator } from "../config/prior-module-json.js";
import { RecompError, throwIfAny } from "../util/errors.js";
import { mapRegisters } from "./prior-temps.js";

/**
 * docs/svc-abi.md's services by name. The prior art named services freely (resolved by title.toml
 * [stubs]); a name found here (or its snake_case form, "svc_exit_process") becomes our svc op.
 */
const serviceNumbers: Record<string, number> = {
  svcExitProcess: 0x07,
  svcSleepThread: 0x0b,
  svcGetSystemTick: 0x1e,
  svcOutputDebugString: 0x27,
  PresentFrame: 0xf000,
  SubmitAudio: 0xf001,
  ReadInput: 0xf002,
};
const snakeCase = (name: string): string => name.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
const serviceByName = new Map<string, number>(Object.entries(serviceNumbers).flatMap(([name, imm]) => [[name, imm], [snakeCase(name), imm]]));

/**
 * Linear functions have no addresses: each gets its own 16 MiB window in the upper half (kernel
 * space, never a guest address), one word per op, so a fault's pc names the op index.
 */
const linearBase = 0xffff000000000000n;
const linearWindow = 1n << 24n;

export interface PriorConversionOptions {
  /** For error locations. */
  file?: string;
  /** The function that becomes the module's entry (automation.toml [run] lift_entry). */
  entryName?: string;
}

export interface PriorConversion {
  module: ModuleJson;
  /** Constructs that became traps (a run that reaches one stops there), located like errors. */
  warnings: RecompError[];
}

const hex = (value: bigint): string => `0x${BigInt.asUintN(64, value).toString(16)}`;
const labelAt = (address: bigint): string => `b_${BigInt.asUintN(64, address).toString(16)}`;

/** Addresses and labels of every function, known before any op is converted (calls name functions). */
interface FunctionLayout {
  entry: bigint;
  /** Prior-art label -> start address (decoded form only). */
  labels: Map<string, bigint>;
}

type Condition = (typeof conditionNames)[number];

/** Operand translation for one op list, with problems recorded at the given key path. */
interface TerminatorOperands {
  reg: (name: string) => string;
  target: (label: string, path: string) => string;
  condition: (cond: string, path: string) => Condition;
}

/** A control op of a linear list, or a decoded block's terminator (a call's own op is added by the caller). */
function terminatorOf(op: PriorOp | PriorTerminator, { reg, target, condition }: TerminatorOperands, path: string): IrTerminator {
  switch (op.op) {
    case "br":
      return { op: "br", target: target(op.target, `${path}.target`) };
    case "br_cond":
      return { op: "br_cond", cond: condition(op.cond, `${path}.cond`), then: target(op.then, `${path}.then`), else: target(op.else, `${path}.else`) };
    case "br_indirect":
      // No jump table is known: the runtime's function-entry dispatch.
      return { op: "br_indirect", src: reg(op.reg), table: [] };
    case "call":
      if ("next" in op) return { op: "br", target: target(op.next, `${path}.next`) };
      return { op: "ret", src: "x30" };
    default:
      return { op: "ret", src: "x30" };
  }
}

/** An op that computes or moves data: the same op in our IR, its registers renamed; undefined for control and services. */
function dataOp(op: PriorOp, reg: (name: string) => string): IrOp | undefined {
  switch (op.op) {
    case "const_i64":
      return { op: "const_i64", dst: reg(op.dst), imm: hex(BigInt(op.imm)) };
    case "pc_rel":
      return { op: "const_i64", dst: reg(op.dst), imm: hex(BigInt(op.pc) + BigInt(op.offset)) };
    case "mov_i64":
      return { op: "mov_i64", dst: reg(op.dst), src: reg(op.src) };
    case "add_i64":
    case "sub_i64":
    case "and_i64":
    case "or_i64":
    case "xor_i64":
    case "lsl_i64":
    case "lsr_i64":
    case "asr_i64":
      return { op: op.op, dst: reg(op.dst), lhs: reg(op.lhs), rhs: reg(op.rhs) };
    case "cmp_i64":
    case "cmn_i64":
    case "test_i64":
      return { op: op.op, lhs: reg(op.lhs), rhs: reg(op.rhs) };
    case "load_i8":
    case "load_i16":
    case "load_i32":
    case "load_i64":
      return { op: op.op, dst: reg(op.dst), addr: reg(op.addr), offset: op.offset ?? 0 };
    case "store_i8":
    case "store_i16":
    case "store_i32":
    case "store_i64":
      return { op: op.op, src: reg(op.src), addr: reg(op.addr), offset: op.offset ?? 0 };
    default:
      return undefined;
  }
}

class Converter {
  readonly errors: RecompError[] = [];
  readonly warnings: RecompError[] = [];
  readonly layouts = new Map<string, FunctionLayout>();

  constructor(private readonly file: string | undefined) {}

  problem(keyPath: string, message: string, hint: string): void {
    this.errors.push(new RecompError({ code: "format_unsupported", message, location: { file: this.file, keyPath }, hint }));
  }

  layout(fn: PriorFunction, index: number): FunctionLayout {
    const labels = new Map<string, bigint>();
    const starts = new Set<bigint>();
    (fn.blocks ?? []).forEach((block, b) => {
      const start = BigInt(block.start);
      if (labels.has(block.label)) this.problem(`functions[${index}].blocks[${b}].label`, `label "${block.label}" is used twice in function "${fn.name}"`, "give every block its own label");
      if (starts.has(start)) this.problem(`functions[${index}].blocks[${b}].start`, `two blocks of function "${fn.name}" start at ${hex(start)}`, "every block needs its own start address");
      labels.set(block.label, start);
      starts.add(start);
    });
    const first = fn.blocks?.[0];
    if (first === undefined) return { entry: linearBase + BigInt(index) * linearWindow, labels };
    // The prior art's decoder sorted blocks by address and named functions fn_<entry>; use that entry when it is a block.
    const named = /^fn_([0-9a-f]+)$/.exec(fn.name);
    const entry = named?.[1] !== undefined && starts.has(BigInt(`0x${named[1]}`)) ? BigInt(`0x${named[1]}`) : BigInt(first.start);
    return { entry, labels };
  }

  segment(segment: PriorSegment, index: number): IrSegment {
    const initSize = segment.init_size ?? 0;
    if (segment.init_path !== undefined && segment.init_size === undefined) {
      this.problem(`segments[${index}].init_size`, `segment "${segment.name}" names init_path but no init_size`, "add init_size: the image file's size in bytes");
    }
    if (initSize > segment.size) {
      this.problem(`segments[${index}].init_size`, `segment "${segment.name}": init_size ${initSize} is larger than size ${segment.size}`, "size counts the whole segment in memory");
    }
    // Our runtime zeroes all guest memory, so the bytes after the image are zero either way.
    return {
      name: segment.name,
      base: hex(BigInt(segment.base)),
      size: segment.size,
      permissions: segment.permissions,
      ...(segment.init_path === undefined ? {} : { init_path: segment.init_path }),
      init_size: initSize,
      zero_fill: Math.max(0, segment.size - initSize),
    };
  }

  /** Operand translation for one function's ops: renamed registers, block labels, condition names. */
  operands(fnName: string, layout: FunctionLayout, reg: (name: string) => string): TerminatorOperands {
    const target = (label: string, path: string): string => {
      const start = layout.labels.get(label);
      if (start !== undefined) return labelAt(start);
      this.problem(path, `function "${fnName}": no block is labeled "${label}"`, "branch targets name a block label of the same function (linear ops have none)");
      return "b_0";
    };
    const condition = (cond: string, path: string): Condition => {
      if ((conditionNames as readonly string[]).includes(cond)) return cond as Condition;
      this.problem(path, `function "${fnName}": unknown condition "${cond}"`, `use one of ${conditionNames.join(" ")}`);
      return "al";
    };
    return { reg, target, condition };
  }

  callee(fnName: string, name: string, path: string): bigint {
    const found = this.layouts.get(name);
    if (found !== undefined) return found.entry;
    this.problem(path, `function "${fnName}" calls "${name}", which is not a function of this module`, "call targets are function names");
    return 0n;
  }

  /** One op list (a decoded block, or a whole linear function) as our blocks. */
  blocks(fnName: string, keyPath: string, ops: readonly PriorOp[], terminator: PriorTerminator | undefined, opAddress: (i: number) => bigint, layout: FunctionLayout): IrBlock[] {
    const { names, problems } = mapRegisters(ops, terminator);
    const opPath = (i: number): string => (i === ops.length ? `${keyPath}.terminator` : `${keyPath}.ops[${i}]`);
    for (const p of problems) this.problem(`${opPath(p.index)}.${p.field}`, `function "${fnName}", op ${p.index}: ${p.message}`, p.hint);
    const operands = this.operands(fnName, layout, (name) => names.get(name) ?? name);
    const { reg } = operands;
    const callee = (name: string, path: string): bigint => this.callee(fnName, name, path);

    const result: IrBlock[] = [];
    let current: IrOp[] = [];
    let start = opAddress(0);
    const close = (end: IrTerminator, next: number): void => {
      result.push({ label: labelAt(start), start: hex(start), ops: current, terminator: end });
      current = [];
      start = opAddress(next);
    };
    const isDecodedBlock = terminator !== undefined;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      const path = opPath(i);
      const data = dataOp(op, reg);
      if (data !== undefined) {
        current.push(data);
        continue;
      }
      switch (op.op) {
        case "call":
          current.push({ op: "call", target: op.target, addr: hex(callee(op.target, `${path}.target`)), ret: hex(opAddress(i + 1)) });
          break;
        case "syscall": {
          const imm = serviceByName.get(op.name);
          if (imm === undefined) {
            this.warnings.push(new RecompError({
              code: "format_unsupported",
              message: `function "${fnName}", op ${i}: syscall "${op.name}" has no recomp service; it is lifted as a trap`,
              location: { file: this.file, keyPath: `${path}.name` },
              hint: `recomp's services are ${Object.keys(serviceNumbers).join(", ")} (docs/svc-abi.md)`,
            }));
            close({ op: "trap", pc: hex(opAddress(i)), reason: `prior-art syscall ${op.name} has no recomp service` }, i + 1);
            if (isDecodedBlock) return result;
            break;
          }
          // Our svc takes its arguments in x0..x7 (Horizon's convention); the prior art listed them.
          op.args.forEach((arg, a) => {
            if (a > 7) this.problem(`${path}.args[${a}]`, `function "${fnName}", op ${i}: a service takes at most 8 arguments`, "pass x0..x7");
            else if (reg(arg) !== `x${a}`) current.push({ op: "mov_i64", dst: `x${a}`, src: reg(arg) });
          });
          current.push({ op: "svc", imm });
          break;
        }
        default: {
          if (isDecodedBlock) {
            this.problem(`${path}.op`, `function "${fnName}", op ${i}: "${op.op}" inside a block's ops`, "only the block's terminator may transfer control");
            break;
          }
          close(terminatorOf(op, operands, path), i + 1);
          // Ops after an unconditional transfer in a linear list start a block nothing reaches; keep them lifted.
        }
      }
    }
    if (terminator !== undefined) {
      const end = terminatorOf(terminator, operands, opPath(ops.length));
      if (terminator.op === "call") {
        current.push({ op: "call", target: terminator.target, addr: hex(callee(terminator.target, `${opPath(ops.length)}.target`)), ret: hex(layout.labels.get(terminator.next) ?? 0n) });
      }
      close(end, ops.length);
    } else if (current.length > 0 || result.length === 0) {
      close({ op: "trap", pc: hex(opAddress(ops.length)), reason: `function "${fnName}" runs off the end of its ops` }, ops.length);
    }
    return result;
  }

  fn(fn: PriorFunction, index: number): IrFunction {
    const layout = this.layouts.get(fn.name) as FunctionLayout;
    const keyPath = `functions[${index}]`;
    if (fn.ops !== undefined && fn.ops.length > 0 && fn.blocks !== undefined && fn.blocks.length > 0) {
      this.problem(keyPath, `function "${fn.name}" has both ops and blocks`, "a function is either linear (ops) or decoded (blocks)");
    }
    const blocks =
      fn.blocks !== undefined && fn.blocks.length > 0
        ? fn.blocks.flatMap((block: PriorBlock, b) =>
            this.blocks(fn.name, `${keyPath}.blocks[${b}]`, block.ops ?? [], block.terminator, (i) => BigInt(block.start) + 4n * BigInt(i), layout),
          )
        : this.blocks(fn.name, keyPath, fn.ops ?? [], undefined, (i) => layout.entry + 4n * BigInt(i), layout);
    return { name: fn.name, entry: hex(layout.entry), blocks };
  }
}

/** Converts a validated prior-art module; throws every problem at once (RecompErrorList), each with its key path. */
export function moduleFromPriorIr(prior: PriorModuleJson, options: PriorConversionOptions = {}): PriorConversion {
  const converter = new Converter(options.file);
  const entries = new Map<bigint, string>();
  prior.functions.forEach((fn, index) => {
    if (converter.layouts.has(fn.name)) converter.problem(`functions[${index}].name`, `function "${fn.name}" is defined twice`, "function names must be unique");
    const layout = converter.layout(fn, index);
    const clash = entries.get(layout.entry);
    if (clash !== undefined) converter.problem(`functions[${index}]`, `functions "${clash}" and "${fn.name}" start at the same address ${hex(layout.entry)}`, "each function needs its own entry block");
    entries.set(layout.entry, fn.name);
    converter.layouts.set(fn.name, layout);
  });
  const segments = (prior.segments ?? []).map((segment, index) => converter.segment(segment, index));
  const functions = prior.functions.map((fn, index) => converter.fn(fn, index));
  throwIfAny(converter.errors);
  const entry = converter.layouts.get(options.entryName ?? "entry")?.entry;
  const module: ModuleJson = { arch: "aarch64", ir_version: irVersion, ...(entry === undefined ? {} : { entry: hex(entry) }), segments, functions };
  return { module, warnings: converter.warnings };
}
