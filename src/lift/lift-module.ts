// lift: the library entry point of the lift stage: an image in, a deterministic module.json (+ segment images) out.
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { IrFunction, ModuleJson } from "../config/module-json.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { canonicalJsonPretty } from "../util/canonical-json.js";
import { hex64 } from "./a64/bits.js";
import { liftFunctions, type UnsupportedSite } from "./cfg.js";
import { CodeImage, type LiftSegment } from "./code-image.js";
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
  const { image, mode } = request;
  const entryName = request.entryName ?? "entry";
  const roots = [{ name: entryName, address: image.entry }, ...[...image.symbols].sort((a, b) => (a.name < b.name ? -1 : 1))];
  let functions: IrFunction[];
  let unsupported: UnsupportedSite[] = [];
  if (mode === "decode") {
    const data = image.relocated === undefined ? undefined : new CodeImage(image.relocated);
    ({ functions, unsupported } = liftFunctions(new CodeImage(image.segments), roots, { fdes: image.fdes ?? [], ...(data === undefined ? {} : { data }) }));
    nameUnsupportedTraps(functions, image.segments);
  } else {
    const unique = new Map(roots.map((root) => [root.address, root.name]));
    functions = [...unique].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([address, name]) => ({
      name,
      entry: hex64(address),
      blocks: [{ label: `b_${address.toString(16)}`, start: hex64(address), ops: [], terminator: { op: "ret", src: "x30" } }],
    }));
  }
  const images = image.segments.map((segment) => ({ path: `segments/${segment.name}.bin`, bytes: segment.bytes }));
  const module: ModuleJson = {
    arch: "aarch64",
    ir_version: 1,
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
    functions,
    unsupported,
  };
  const coverage = liftCoverage(functions, image.segments, image.fdes ?? []);
  return { module, images, unsupported, unsupportedReport: describeUnsupported(unsupported, image.segments), coverage };
}

/** Traps on unsupported instructions say what the instruction is, in which function and where in the input file. */
function nameUnsupportedTraps(functions: readonly IrFunction[], segments: readonly LiftSegment[]): void {
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
  const result = liftProgram(request);
  for (const image of result.images) await writeFileAtomic(join(request.outDir, image.path), image.bytes);
  const modulePath = join(request.outDir, "module.json");
  await writeFileAtomic(modulePath, moduleJsonChunks(result.module));
  return { ...result, modulePath };
}

/**
 * `canonicalJsonPretty(module)`, one function at a time: a whole program's module.json is hundreds
 * of megabytes, too much to build as one string next to the module it describes.
 */
export function* moduleJsonChunks(module: ModuleJson): Generator<string> {
  const frame = canonicalJsonPretty({ ...module, functions: [] });
  const marker = '\n  "functions": []';
  const at = frame.indexOf(marker);
  if (module.functions.length === 0 || at < 0) {
    yield canonicalJsonPretty(module);
    return;
  }
  yield `${frame.slice(0, at)}\n  "functions": [`;
  let separator = "\n";
  for (const fn of module.functions) {
    // Strings in JSON never hold a raw newline, so indenting every line is safe.
    yield `${separator}    ${canonicalJsonPretty(fn).slice(0, -1).replaceAll("\n", "\n    ")}`;
    separator = ",\n";
  }
  yield `\n  ]${frame.slice(at + marker.length)}`;
}
