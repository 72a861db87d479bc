// emit: module.json IR to C99 units: every lifted function over the shared CPU state, plus the runtime's tables.
import type { IrFunction, IrSegment, ModuleJson } from "../config/module-json.js";
import { assignUnits, isOversized, type GuestUnit } from "./units.js";
import { helperHeaders } from "./helper-headers.js";
import { argumentChanges, unitCallEffects, type CallEffects } from "./call-effects.js";
import { emitOp, emitTerminator, noReturnCallReason, type OpContext } from "./c-ops.js";
import { cString, commentText, functionIdent, loadValue, localName, storeStatement } from "./c-names.js";
import { dirtyAfter, flagsName, guestRegisters, opWrites, syncKind, usedRegisters } from "./register-sync.js";
import { callArguments, isCallArgument, storedAtReturn } from "./call-abi.js";
import { cycleComponents, dirtyAtBlockStarts, edgeStores } from "./dirty-joins.js";
import { coldEntryLoads } from "./cold-loads.js";
import { isVectorName } from "./vector-locals.js";
import { blockFacts, functionLiveness } from "./liveness.js";
import { fallbackStores, planSharedDispatch, sharedDispatchBlock, sharedDispatchJump, sharedDispatchLocals } from "./shared-dispatch.js";
import type { Region } from "./memory-map.js";
import { keepProvenTables } from "./proven-tables.js";
import { functionKey } from "../formats/execution-profile.js";
import { flagOperandsKept } from "./flag-operands.js";
import { planStoreStubs, storeRequests, storeStubBlock } from "./store-stubs.js";

/** The IR's temporaries t0..t7 (docs/ir.md): C locals declared by the functions that use them. */
const tempNames: ReadonlySet<string> = new Set(Array.from({ length: 8 }, (_, i) => `t${i}`));

const hex = (value: bigint): string => `UINT64_C(0x${value.toString(16)})`;

/** The register locals of a function that uses `used`: the C arguments in every function (call-abi.ts), used or not, since a call passes them on. */
const registerLocals = (used: readonly string[]): string[] => [...guestRegisters.filter((name) => isCallArgument(name) || used.includes(name)), ...used.filter(isVectorName)];

/**
 * One lifted function: guest registers and NZCV are C locals, loaded from the CPU state on entry; the registers
 * that may have changed are stored back before anything that can see the CPU state (calls, svc, returns, tail
 * calls, indirect branches) and reloaded after a call or svc, around a direct
 * call only those the callee can reach (call-effects.ts), and of those only the ones read again (liveness.ts),
 * as the entry loads only registers read before written. NZCV is computed only where it is read, and stays in
 * the function: AAPCS64 gives the flags no meaning across a call or return (neither argument nor preserved),
 * and svc does not use them, so only the FP helpers that read or write them see the CPU's copy.
 */
function emitFunction(fn: IrFunction, effects: CallEffects): string[] {
  const [used, cyclic] = [usedRegisters(fn), cycleComponents(fn)];
  const registers = registerLocals(used);
  const dirtyAtStart = dirtyAtBlockStarts(fn, effects, cyclic);
  const dispatch = planSharedDispatch(fn, dirtyAtStart, effects);
  const fallback = fallbackStores(dispatch);
  // Registers only an abort path reads are loaded on it (cold-loads.ts), which the liveness then accounts for.
  const facts = blockFacts(fn, effects, dirtyAtStart);
  const withEntryLoads = functionLiveness(fn, effects, dirtyAtStart, fallback, new Map(), facts);
  const coldLoads = coldEntryLoads(fn, withEntryLoads.atBlockStart, cyclic);
  const liveness = coldLoads.size === 0 ? withEntryLoads : functionLiveness(fn, effects, dirtyAtStart, fallback, coldLoads, facts);
  let dirty: ReadonlySet<string> = new Set<string>();
  const store = (names: ReadonlySet<string>): string[] => registers.filter((name) => names.has(name)).map(storeStatement);
  const stubs = planStoreStubs(storeRequests(fn, (label) => facts.get(label)?.dirtyAtEnd ?? new Set(), dirtyAtStart), registers);
  const ctx: OpContext = {
    flagSource: undefined,
    flush: (only) => store(new Set([...dirty].filter((name) => only?.has(name) ?? true))),
    reload: (only) => registers.filter((name) => only.has(name) && ctx.liveAfter.has(name)).map((name) => `${localName(name)} = ${loadValue(name)};`),
    branch: (target) => {
      const names = edgeStores(dirty, dirtyAtStart.get(target));
      const stub = stubs.stubFor(target, names);
      if (stub !== undefined || names.size === 0) return `goto ${stub ?? target};`;
      return `{ ${store(names).join(" ")} goto ${target}; }`;
    },
    flagOperandsKept: false,
    liveAfter: new Set(),
    effects,
    noReturn: undefined,
    returnStores: storedAtReturn(fn, effects),
  };
  const temps = new Set<string>();
  const body: string[] = [`  goto b_${fn.entry.slice(2)};`];
  for (const block of fn.blocks) {
    body.push(`${block.label}:;`);
    for (const name of registers) if (coldLoads.get(block.label)?.has(name)) body.push(`  ${localName(name)} = ${loadValue(name)};`);
    dirty = new Set(dirtyAtStart.get(block.label));
    ctx.flagSource = undefined;
    let pc = block.start;
    const liveAfterOps = liveness.afterOps.get(block.label) ?? [];
    const operandsKept = flagOperandsKept(block.ops);
    const noReturn = noReturnCallReason(block.ops, block.terminator);
    for (const [index, op] of block.ops.entries()) {
      ctx.liveAfter = liveAfterOps[index] ?? new Set();
      ctx.flagOperandsKept = operandsKept[index] ?? false;
      ctx.noReturn = index === block.ops.length - 1 ? noReturn : undefined;
      for (const key in op) {
        const value = (op as Record<string, unknown>)[key];
        if (typeof value === "string" && tempNames.has(value)) temps.add(value);
      }
      if ("asm" in op) {
        pc = op.pc;
        body.push(`  /* ${op.pc}: ${commentText(op.asm)} */`);
      }
      const before = dirty;
      // A call's own write (x30) is part of what it stores before the callee runs.
      if (syncKind(op) === "full") dirty = new Set([...dirty, ...opWrites(op)]);
      for (const statement of emitOp(op, pc, ctx)) body.push(`  ${statement}`);
      dirty = dirtyAfter(op, before, effects);
    }
    const end = block.terminator;
    const shared = dispatch.byBlock.get(block.label);
    if (noReturn !== undefined) continue;
    const statements = end.op === "br_indirect" && shared !== undefined ? sharedDispatchJump(shared, end.src, pc) : emitTerminator(end, pc, ctx);
    for (const statement of statements) body.push(`  ${statement}`);
  }
  for (const shared of dispatch.shared) body.push(...sharedDispatchBlock(shared, store(shared.stores)));
  for (const stub of stubs.stubs) body.push(...storeStubBlock(stub, store));
  const lines: string[] = [`/* ${commentText(fn.name)} */`, `${prototype(functionIdent(fn.entry)).slice(0, -1)} {`];
  // Registers not read before they are written start as 0: their CPU-state value is never seen.
  const initial = (name: string, zero: string): string => `${name} = ${liveness.atEntry.has(name) ? loadValue(name) : zero}`;
  const general = registers.filter((name) => !isVectorName(name) && !isCallArgument(name));
  const vectors = registers.filter(isVectorName);
  if (general.length > 0) lines.push(`  uint64_t ${general.map((name) => initial(name, "0")).join(", ")};`);
  if (vectors.length > 0) lines.push(`  rt_v128 ${vectors.map((name) => initial(name, "{0, 0}")).join(", ")};`);
  if (used.includes(flagsName)) lines.push("  rt_nzcv fl = cpu->flags;");
  if (body.some((line) => line.includes("fl_a"))) lines.push("  uint64_t fl_a = 0, fl_b = 0;");
  // The guest space's host base, read once: guest stores could alias the global for all the compiler knows.
  if (body.some((line) => line.includes("(mem, "))) lines.push("  uint8_t *const mem = rt_guest_base;");
  if (temps.size > 0) lines.push(`  uint64_t ${[...temps].sort().map((t) => `${t} = 0`).join(", ")};`);
  lines.push(...sharedDispatchLocals(dispatch));
  // A loop, not push(...body): a function of many thousand statements would overflow the call stack.
  for (const line of body) lines.push(line);
  lines.push("}", "");
  return lines;
}

function permissionBits(region: Region): string {
  const bits = [region.read ? "RT_READ" : "", region.write ? "RT_WRITE" : "", region.execute ? "RT_EXECUTE" : ""].filter((b) => b !== "");
  return bits.length === 0 ? "0u" : bits.join(" | ");
}

/** layout.h: the number of regions (rt_regions in guest/tables.c lists them; the core maps them into the reserved guest space). */
export function emitLayoutH(regions: readonly Region[]): string {
  return [
    "/* Generated by recomp: the region count of title.toml [[runtime.memory_layout.regions]]. Do not edit. */",
    "#ifndef RECOMP_LAYOUT_H",
    "#define RECOMP_LAYOUT_H",
    `#define RT_REGION_COUNT ${regions.length}`,
    "#endif",
    "",
  ].join("\n");
}

/** A lifted function's C declaration (runtime/core/program.h, rt_guest_fn; call-abi.ts). */
const prototype = (ident: string): string => `rt_return ${ident}(recomp_cpu *restrict cpu, ${callArguments.map((name) => `uint64_t ${name}`).join(", ")});`;

/**
 * One C file of a unit: a cold file first defines RT_COLD_UNIT (memory.h: checked calls for its accesses), then
 * the helper headers its functions call (helper-headers.ts), prototypes of every lifted function they or it name
 * (sorted), its functions.
 */
function unitFile(functions: readonly IrFunction[], effects: CallEffects, cold: boolean): string {
  const bodies = functions.flatMap((fn) => emitFunction(fn, effects));
  const named = new Set<string>(functions.map((fn) => functionIdent(fn.entry)));
  // The pattern only on lines that can match: most lines name no function. A callee is called, f_...(cpu), or passed, f_..., (rt_call_no_return).
  for (const line of bodies) if (line.includes("f_")) for (const match of line.matchAll(/\bf_[0-9a-f]+(?=[(,])/g)) named.add(match[0]);
  return [
    "/* Generated by recomp from module.json (docs/ir.md): lifted guest code, one unit of several. Do not edit. */",
    ...(cold ? ["/* Code the execution profile never saw run (docs/runtime-core.md, \"Optimisation tiers\"). */", "#define RT_COLD_UNIT 1"] : []),
    '#include "program.h"',
    ...helperHeaders(bodies).map((header) => `#include "${header}"`),
    "",
    ...[...named].sort().map(prototype),
    "",
    ...bodies,
  ].join("\n");
}

/** One translation unit, every function in one file; `otherUnits`: the module's argumentChanges (call-effects.ts). */
export function emitUnitC(unit: GuestUnit, otherUnits?: ReadonlyMap<string, ReadonlySet<string>>): string {
  return unitFile(unit.functions, unitCallEffects(unit.functions, otherUnits), false);
}

/** A unit's cold file: its functions the execution profile never saw run (guest/u_<address>.cold.c). */
export const coldUnitPath = (unit: GuestUnit): string => unit.path.replace(/\.c$/, ".cold.c");

/**
 * A unit's C files. Without a profile, one file. With one (the entries of the functions that ran), the functions
 * that ran stay in the unit's file and the others go to its cold file; the call analysis still spans the whole
 * unit, so a function's C does not depend on how its unit was split.
 */
function unitSources(unit: GuestUnit, ran: ReadonlySet<string> | undefined, otherUnits: ReadonlyMap<string, ReadonlySet<string>>): GuestSource[] {
  const effects = unitCallEffects(unit.functions, otherUnits);
  const hot = ran === undefined ? unit.functions : unit.functions.filter((fn) => ran.has(functionKey(fn.entry)));
  const cold = ran === undefined ? [] : unit.functions.filter((fn) => !ran.has(functionKey(fn.entry)));
  const sources: GuestSource[] = [];
  if (hot.length > 0) sources.push({ path: unit.path, source: unitFile(hot, effects, false), tier: isOversized({ ...unit, functions: hot }) ? "huge" : "hot" });
  if (cold.length > 0) sources.push({ path: coldUnitPath(unit), source: unitFile(cold, effects, true), tier: "cold" });
  return sources;
}

/** The region and segment-image tables both builds share (the core maps and loads them). */
function layoutTables(regions: readonly Region[], segments: readonly IrSegment[]): string[] {
  return [
    "rt_region rt_regions[RT_REGION_COUNT] = {",
    ...regions.map((region) => `  {${cString(region.name)}, ${hex(region.base)}, ${hex(region.size)}, ${permissionBits(region)}, 0},`),
    "};",
    "",
    `const rt_segment rt_segments[${Math.max(segments.length, 1)}] = {`,
    ...segments.map((segment) => `  {${cString(segment.init_path ?? "")}, ${hex(BigInt(segment.base))}, ${hex(BigInt(segment.init_size))}},`),
    "};",
    `const unsigned rt_segment_count = ${segments.length}u;`,
    "",
  ];
}

/** guest/tables.c of the emulated reference's host (docs/reference-emulated.md): no lifted functions, the module's own entry address. */
export function emitEmulatedTablesC(entryAddress: bigint, regions: readonly Region[], segments: readonly IrSegment[], stackTop: bigint): string {
  return [
    "/* Generated by recomp from module.json and title.toml: the emulated reference's tables of the original program. Do not edit. */",
    '#include "program.h"',
    '#include "emulated.h"',
    "",
    ...layoutTables(regions, segments),
    "const rt_entry_fn rt_entry = emu_entry;",
    `const uint64_t emu_entry_address = ${hex(entryAddress)};`,
    `const uint64_t rt_stack_top = ${hex(stackTop)};`,
    "",
  ].join("\n");
}

/** guest/tables.c: regions, segment images, the function table, entry and stack top. */
export function emitTablesC(functions: readonly IrFunction[], entryAddress: string | undefined, regions: readonly Region[], segments: readonly IrSegment[], stackTop: bigint): string {
  const entry = functions.find((fn) => fn.entry === entryAddress) ?? functions[0];
  const lines = [
    "/* Generated by recomp from module.json and title.toml: the runtime's tables of the lifted program. Do not edit. */",
    '#include "program.h"',
    "",
    ...functions.map((fn) => prototype(functionIdent(fn.entry))),
    "",
    ...layoutTables(regions, segments),
    `const rt_function rt_functions[${Math.max(functions.length, 1)}] = {`,
    ...functions.map((fn) => `  {${hex(BigInt(fn.entry))}, ${functionIdent(fn.entry)}, ${cString(fn.name)}},`),
    "};",
    `const unsigned rt_function_count = ${functions.length}u;`,
    ...(entry === undefined ? ["const rt_entry_fn rt_entry = 0;"] : entryFunction(functionIdent(entry.entry))),
    `const uint64_t rt_stack_top = ${hex(stackTop)};`,
    "",
  ];
  return lines.join("\n");
}

/** rt_entry: the entry function run as the runtime runs lifted code, over the CPU state (program.h, rt_invoke). */
const entryFunction = (ident: string): string[] => [
  `static void run_entry(recomp_cpu *cpu) { rt_invoke(cpu, ${ident}); }`,
  "const rt_entry_fn rt_entry = run_entry;",
];

/** The segments with an image to load. */
export function imageSegments(module: ModuleJson): IrSegment[] {
  return module.segments.filter((segment) => segment.init_size > 0 && segment.init_path !== undefined);
}

/**
 * How a C file of the lifted program is optimised (the Makefile's flags): "hot" at $(GUESTOPT), "huge" (a unit over
 * the instruction limit, units.ts) at $(HUGEOPT), "cold" (code the execution profile never saw run) at $(COLDOPT).
 */
export type GuestTier = "hot" | "huge" | "cold";

/** One generated C file of the lifted program. */
export interface GuestSource {
  /** Its path in the project, e.g. "guest/u_7100001000.c". */
  path: string;
  source: string;
  tier: GuestTier;
}

/**
 * Every generated C file of the lifted program, one at a time, so that each can go to disk before the next is
 * emitted (the module's whole C is never in memory at once): deterministic for a given module, memory map and
 * execution profile (`ran`: the entries, functionKey, of the functions that ran; none: every function is hot).
 */
export function* guestSources(module: ModuleJson, regions: readonly Region[], stackTop: bigint, ran?: ReadonlySet<string>): Generator<GuestSource> {
  const functions = keepProvenTables(module.functions, regions).sort((a, b) => (BigInt(a.entry) < BigInt(b.entry) ? -1 : 1));
  const changes = argumentChanges(functions);
  for (const unit of assignUnits(functions)) yield* unitSources(unit, ran, changes);
  const tables = emitTablesC(functions, module.entry, regions, imageSegments(module), stackTop);
  yield { path: "guest/tables.c", source: tables, tier: "hot" };
}
