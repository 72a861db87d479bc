// validate: the local measure's hot loops through the WebAssembly module (measure-wasm.ts): the same integer
// sums and floating-point operations as the TypeScript in local-difference.ts, in the same order, so the
// same doubles; several times faster than the JIT's code here.
import { colourBytes } from "../media/index.js";
import { measureWasm, type MeasureWasm } from "./measure-wasm.js";

/** The module's results for one pair: the detail window's sum and cell, the colour window (-1: none over 0). */
export interface WasmMeasure {
  detailSum: number;
  detailAt: number;
  colourWindow: number;
  colourChannel: number;
  colourDifference: number;
  colourTolerance: number;
}

/** Views of the module's two thumbnails and its results, remade when its memory grows (growing detaches them). */
let views: { buffer: ArrayBuffer; a: Uint8Array; b: Uint8Array; ints: Int32Array; doubles: Float64Array } | undefined;

function viewsOf(wasm: MeasureWasm): NonNullable<typeof views> {
  const buffer = wasm.memory.buffer;
  if (views?.buffer !== buffer) {
    const results = wasm.resultsAt();
    views = {
      buffer,
      a: new Uint8Array(buffer, wasm.thumbnailA(), colourBytes),
      b: new Uint8Array(buffer, wasm.thumbnailB(), colourBytes),
      ints: new Int32Array(buffer, results, 4),
      doubles: new Float64Array(buffer, results + 16, 2),
    };
  }
  return views;
}

/** Measures thumbnail `a` against `b` (colourBytes each) in the module; undefined when it is not built. */
export function measureInWasm(a: Uint8Array, b: Uint8Array, edgeShare: number): WasmMeasure | undefined {
  const wasm = measureWasm();
  if (wasm === null) return undefined;
  const { a: thumbA, b: thumbB, ints, doubles } = viewsOf(wasm);
  thumbA.set(a);
  thumbB.set(b);
  wasm.measure(edgeShare);
  return { detailSum: ints[0], detailAt: ints[1], colourWindow: ints[2], colourChannel: ints[3], colourDifference: doubles[0], colourTolerance: doubles[1] };
}
