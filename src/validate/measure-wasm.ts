// validate: the WebAssembly module of the perceptual comparison's hot loops (wasm/thumb-measure.ts and
// wasm/thumb-blocks.ts, built into dist/wasm/thumb-measure.wasm by `npm run build`), loaded once.
// Without the built module (sources run before `npm run build`) the callers use their TypeScript.
import { readFileSync } from "node:fs";

interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

export interface MeasureWasm {
  memory: { buffer: ArrayBuffer };
  // The local measure (local-difference-wasm.ts).
  thumbnailA(): number;
  thumbnailB(): number;
  resultsAt(): number;
  measure(edgeShare: number): void;
  // Block statistics and block SSIM (block-ssim-wasm.ts).
  arena(bytes: number): number;
  blockStats(thumbs: number, frames: number, means: number, variances: number): void;
  useSides(refThumbs: number, refMeans: number, refVariances: number, capThumbs: number, capMeans: number, capVariances: number, c1: number, c2: number): void;
  blockSsim(ref: number, cap: number): number;
}

let compiled: object | null | undefined;
let loaded: MeasureWasm | null | undefined;

function webAssembly(): WebAssemblyApi {
  return (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
}

/** The compiled module, or null when it is not built. */
function measureModule(): object | null {
  if (compiled === undefined) {
    try {
      // From src/validate or dist/validate alike, two levels up is the package root.
      compiled = new (webAssembly().Module)(readFileSync(new URL("../../dist/wasm/thumb-measure.wasm", import.meta.url)));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** A new instance of the module, with memory of its own; null when it is not built. */
export function newMeasureInstance(): MeasureWasm | null {
  const module = measureModule();
  return module === null ? null : (new (webAssembly().Instance)(module, { env: { abort: () => undefined } }).exports as MeasureWasm);
}

/** The shared instance's exports, or null when the module is not built. */
export function measureWasm(): MeasureWasm | null {
  if (loaded === undefined) loaded = newMeasureInstance();
  return loaded;
}
