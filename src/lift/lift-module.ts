// lift: the library entry point of the lift stage: an image in, a deterministic module.json (+ segment images) out.
import { createHash } from "node:crypto";
import { join } from "node:path";
import { irVersion } from "../config/ir-names.js";
import type { IrFunction, ModuleJson } from "../config/module-json.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { hex64 } from "./a64/bits.js";
import { liftFunctions, type LiftedFunction, type UnsupportedSite } from "./cfg.js";
import { CodeImage, type LiftSegment } from "./code-image.js";
import { Explorer } from "./explorer.js";
import { irFunction, liftedFunctionJson } from "./lifted-code.js";
import { inPieces, moduleJsonChunks } from "./module-json-text.js";
import type { LiftImage } from "./inputs.js";
import { describeUnsupported, liftCoverage, unsupportedFaultReason, type LiftCoverage, type UnsupportedReport } from "./lift-report.js";

export type LiftMode = "decode" | "stub";

export interface LiftRequest {
  image: LiftImage;
  /** Name of the entry function (automation.toml `[run] lift_entry`, default "entry"). */
  entryName?: string;
  /** "decode" lifts every reachable instruction; "stub" (the prior art's meaning) emits empty functions that return. */
  mode: LiftMode;
}

export interface LiftResult {
  module: ModuleJson;
  /** Segment image files, relative to the module's folder, with their bytes. */
  images: { path: string; bytes: Uint8Array }[];
  unsupported: UnsupportedSite[];
  /** The same sites with what each encoding is and where it is in the input file. */
  unsupportedReport: UnsupportedReport[];
  coverage: LiftCoverage;
}

/** Lifts in memory; the same request always gives the same module. */
export function liftProgram(request: LiftRequest): LiftResult {
  return lift(request).result;
}

/** A lift's functions, built as IR objects only when read: module.json is written from `json` instead. */
interface Lift {
  result: LiftResult;
  /** module.json's members other than functions. */
  frame: Omit<ModuleJson, "functions">;
  /** Each function's module.json text. */
  json: () => Iterable<string>;
}

function lift(request: LiftRequest): Lift {
  const { image, mode } = request;
  const entryName = request.entryName ?? "entry";
  const roots = [{ name: entryName, address: image.entry }, ...[...image.symbols].sort((a, b) => (a.name < b.name ? -1 : 1))];
  let functions: () => IrFunction[];
  let json: () => Iterable<string>;
  let unsupported: UnsupportedSite[] = [];
  let coverage: LiftCoverage;
  if (mode === "decode") {
    const data = image.relocated === undefined ? undefined : new CodeImage(image.relocated);
    const code = liftFunctions(new CodeImage(image.segments), roots, { fdes: image.fdes ?? [], ...(data === undefined ? {} : { data }) });
    nameUnsupportedTraps(code.functions, image.segments);
    unsupported = code.unsupported;
    functions = () => code.functions.map((fn) => irFunction(code, fn));
    json = () => mapIterable(code.functions, (fn) => liftedFunctionJson(code, fn));
    coverage = liftCoverage(code.functions, image.segments, image.fdes ?? []);
  } else {
    const unique = new Map(roots.map((root) => [root.address, root.name]));
    const stubs = [...unique].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([address, name]) => ({
      name,
      entry: address,
      blocks: [{ start: Number(address), count: 0, terminator: { op: "ret" as const, src: "x30" } }],
    }));
    const code = { explorer: new Explorer(new CodeImage([])), entries: unique };
    functions = () => stubs.map((fn) => irFunction(code, fn));
    json = () => mapIterable(stubs, (fn) => liftedFunctionJson(code, fn));
    coverage = liftCoverage(stubs, image.segments, image.fdes ?? []);
  }
  const images = image.segments.map((segment) => ({ path: `segments/${segment.name}.bin`, bytes: segment.bytes }));
  const frame = {
    arch: "aarch64" as const,
    ir_version: irVersion,
    lift_mode: mode,
    entry: hex64(image.entry),
    segments: image.segments.map((segment, i) => ({
      name: segment.name,
      base: hex64(segment.base),
      size: segment.size,
      permissions: segment.permissions,
      init_path: images[i]?.path,
      init_size: segment.bytes.length,
      zero_fill: segment.size - segment.bytes.length,
      init_sha256: createHash("sha256").update(segment.bytes).digest("hex"),
    })),
    unsupported,
  };
  let built: IrFunction[] | undefined;
  // A whole program's functions as objects are a second copy of its million instructions: built on first read.
  const module = Object.defineProperty({ ...frame }, "functions", { enumerable: true, get: () => (built ??= functions()) }) as ModuleJson;
  const result = { module, images, unsupported, unsupportedReport: describeUnsupported(unsupported, image.segments), coverage };
  return { result, frame, json };
}

function* mapIterable<T>(items: readonly T[], map: (item: T) => string): Generator<string> {
  for (const item of items) yield map(item);
}

/** Traps on unsupported instructions say what the instruction is, in which function and where in the input file. */
function nameUnsupportedTraps(functions: readonly LiftedFunction[], segments: readonly LiftSegment[]): void {
  for (const fn of functions) {
    for (const block of fn.blocks) {
      const end = block.terminator;
      if (end.op !== "trap" || end.word === undefined || !end.reason.startsWith("unsupported instruction")) continue;
      block.terminator = { ...end, reason: unsupportedFaultReason(BigInt(end.pc), Number(BigInt(end.word)), fn.name, segments) };
    }
  }
}

/** Lifts and writes `<outDir>/module.json` and `<outDir>/segments/*.bin` (each file atomically). */
export async function liftModule(request: LiftRequest & { outDir: string }): Promise<LiftResult & { modulePath: string }> {
  const { result, frame, json } = lift(request);
  for (const image of result.images) await writeFileAtomic(join(request.outDir, image.path), image.bytes);
  const modulePath = join(request.outDir, "module.json");
  await writeFileAtomic(modulePath, inPieces(moduleJsonChunks(frame, json())));
  return { ...result, modulePath };
}
