// validate: the local measure's hot loops through the WebAssembly module (wasm/thumb-measure.ts, built into
// dist/wasm/thumb-measure.wasm): the same integer sums and floating-point operations as the TypeScript in
// local-difference.ts, in the same order, so the same doubles; about 4x faster than the JIT's code here.
// Without the built module (sources run before `npm run build`) the TypeScript is used.
import { readFileSync } from "node:fs";
import { colourBytes } from "../media/index.js";

interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

interface MeasureWasm {
  memory: { buffer: ArrayBuffer };
  thumbnailA(): number;
  thumbnailB(): number;
  measure(edgeShare: number): void;
  resultDetailSum(): number;
  resultDetailAt(): number;
  resultColourWindow(): number;
  resultColourChannel(): number;
  resultColourDifference(): number;
  resultColourTolerance(): number;
}

/** The module's results for one pair: the detail window's sum and cell, the colour window (-1: none over 0). */
export interface WasmMeasure {
  detailSum: number;
  detailAt: number;
  colourWindow: number;
  colourChannel: number;
  colourDifference: number;
  colourTolerance: number;
}

let loaded: { exports: MeasureWasm; a: Uint8Array; b: Uint8Array } | null | undefined;

function module(): typeof loaded {
  if (loaded === undefined) {
    try {
      // From src/validate or dist/validate alike, two levels up is the package root.
      const bytes = readFileSync(new URL("../../dist/wasm/thumb-measure.wasm", import.meta.url));
      const { Module, Instance } = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
      const exports = new Instance(new Module(bytes), { env: { abort: () => undefined } }).exports as MeasureWasm;
      // The module allocates only when it starts, so these views stay valid.
      const a = new Uint8Array(exports.memory.buffer, exports.thumbnailA(), colourBytes);
      const b = new Uint8Array(exports.memory.buffer, exports.thumbnailB(), colourBytes);
      loaded = { exports, a, b };
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/** Measures thumbnail `a` against `b` (colourBytes each) in the module; undefined when it is not built. */
export function measureInWasm(a: Uint8Array, b: Uint8Array, edgeShare: number): WasmMeasure | undefined {
  const wasm = module();
  if (wasm === null || wasm === undefined) return undefined;
  wasm.a.set(a);
  wasm.b.set(b);
  const e = wasm.exports;
  e.measure(edgeShare);
  return {
    detailSum: e.resultDetailSum(),
    detailAt: e.resultDetailAt(),
    colourWindow: e.resultColourWindow(),
    colourChannel: e.resultColourChannel(),
    colourDifference: e.resultColourDifference(),
    colourTolerance: e.resultColourTolerance(),
  };
}
