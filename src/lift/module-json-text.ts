/**
 * lift: module.json's text (IR version 2, docs/ir.md): canonical JSON (sorted keys, no spaces) with
 * each op and terminator written as an array in the field order of its schema, one guest instruction
 * (its `insn` op and the ops that implement it) a line, and each function starting on a new line.
 * The same module always gives the same bytes; a whole program's text is made function by function.
 */
import { irFieldOrder, type IrFunction, type IrOp, type IrTerminator, type ModuleJson } from "../config/module-json.js";
import { canonicalJson } from "../util/canonical-json.js";

const isFlatArray = (value: unknown): boolean => Array.isArray(value) && value.every((item) => typeof item !== "object");

function fieldJson(op: string, key: string, value: unknown): string {
  if (value === undefined || (typeof value === "number" && !Number.isFinite(value))) {
    throw new TypeError(`module.json: op "${op}" has no valid ${key} (${String(value)})`);
  }
  // Arrays of registers, immediates and numbers are written as they are; objects (a jump table's entries) sorted.
  return typeof value === "object" && !isFlatArray(value) ? canonicalJson(value) : JSON.stringify(value);
}

/** An op or terminator as module.json writes it: `["name", field, ...]`, absent trailing optional fields left off. */
export function opJson(op: IrOp | IrTerminator): string {
  const fields = irFieldOrder.get(op.op);
  if (fields === undefined) throw new TypeError(`module.json: unknown op "${op.op}"`);
  const record = op as Record<string, unknown>;
  let end = fields.length;
  while (end > 0 && record[fields[end - 1]] === undefined) end--;
  let text = `["${op.op}"`;
  for (let i = 0; i < end; i++) text += `,${fieldJson(op.op, fields[i], record[fields[i]])}`;
  return `${text}]`;
}

/** The `insn` op that starts a guest instruction's line. */
export const insnJson = (pc: string, word: string, asm: string): string => `["insn","${pc}","${word}",${JSON.stringify(asm)}]`;

/** A block given the text of each of its instructions' lines (`insn` op and ops, comma-separated). */
export function blockJson(label: string, start: string, lines: readonly string[], terminator: IrTerminator): string {
  const ops = lines.length === 0 ? "[]" : `[\n${lines.join(",\n")}\n]`;
  return `{"label":"${label}","ops":${ops},"start":"${start}","terminator":${opJson(terminator)}}`;
}

/** A function given its blocks' texts. */
export const functionJson = (name: string, entry: string, blocks: readonly string[]): string =>
  `{"blocks":[${blocks.join(",")}],"entry":"${entry}","name":${JSON.stringify(name)}}`;

/** A function given as IR objects: a line starts at each `insn` op (ops before the first have their own line). */
export function irFunctionJson(fn: IrFunction): string {
  const blocks = fn.blocks.map((block) => {
    const lines: string[] = [];
    for (const op of block.ops) {
      const json = opJson(op);
      if (op.op === "insn" || lines.length === 0) lines.push(json);
      else lines[lines.length - 1] += `,${json}`;
    }
    return blockJson(block.label, block.start, lines, block.terminator);
  });
  return functionJson(fn.name, fn.entry, blocks);
}

/**
 * module.json's text in pieces, given the members other than `functions` and each function's text:
 * a whole program's module.json is tens of megabytes, too much to build as one string.
 */
export function* moduleJsonChunks(frame: Omit<ModuleJson, "functions">, functions: Iterable<string>): Generator<string> {
  const text = canonicalJson({ ...frame, functions: [] });
  const marker = '"functions":[]';
  const at = text.indexOf(marker);
  let separator = `${text.slice(0, at)}"functions":[\n`;
  for (const fn of functions) {
    yield `${separator}${fn}`;
    separator = ",\n";
  }
  yield `${separator === ",\n" ? "\n]" : `${separator.slice(0, -2)}[]`}${text.slice(at + marker.length)}\n`;
}

/** Bytes per piece of `inPieces`: few enough writes that the file system's round trips cost nothing. */
const pieceBytes = 8 << 20;

/**
 * The UTF-8 bytes of `chunks` in pieces of about 8 MiB: a write per function (eleven thousand in nx.js)
 * left the lift waiting on the file system for a quarter of its time.
 */
export function* inPieces(chunks: Iterable<string>): Generator<Uint8Array> {
  let piece = Buffer.allocUnsafe(pieceBytes);
  let used = 0;
  for (const chunk of chunks) {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (used + 3 * chunk.length > piece.length && used > 0) {
      yield piece.subarray(0, used);
      piece = Buffer.allocUnsafe(Math.max(pieceBytes, 3 * chunk.length));
      used = 0;
    } else if (3 * chunk.length > piece.length) {
      piece = Buffer.allocUnsafe(3 * chunk.length);
    }
    used += piece.write(chunk, used);
  }
  if (used > 0) yield piece.subarray(0, used);
}

/** module.json's whole text for a module given as IR objects (tests, tools that edit a lifted module). */
export function moduleJsonText(module: ModuleJson): string {
  const { functions, ...frame } = module;
  return [...moduleJsonChunks(frame, functions.map(irFunctionJson))].join("");
}
