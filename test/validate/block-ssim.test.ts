// The alignment's block statistics and block SSIM in the WebAssembly module give the doubles of the
// TypeScript (ThumbBlocks, blockSsim), which define them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { signatureBytes } from "../../src/media/index.js";
import { lumaInWasm } from "../../src/validate/block-ssim-wasm.js";
import { blockPair, isDarkAndFlat } from "../../src/validate/frame-similarity.js";
import { measureWasm } from "../../src/validate/measure-wasm.js";

/** `frames` luma thumbnails: noise of amplitude `spread` around a gradient, from a seeded generator. */
function thumbs(seed: number, frames: number, spread: number): Uint8Array {
  let state = seed;
  const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
  return Uint8Array.from({ length: frames * signatureBytes }, (_, k) => Math.max(0, Math.min(255, Math.round((k % 64) * 3 + (random() - 0.5) * spread))));
}

describe("block SSIM in the WebAssembly module", () => {
  it("is built", () => {
    expect(measureWasm()).not.toBeNull();
  });

  const cases = fc.sample(fc.tuple(fc.integer({ min: 1, max: 2 ** 31 - 2 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 600 })), { seed: 14, numRuns: 8 });

  it.each(cases.map((c, i) => [i, c] as const))("case %i: same statistics and SSIM of every pair", (_, [seed, n, m, spread]) => {
    // Black, white and flat frames besides the noise: extreme sums and zero variances.
    const ref = thumbs(seed, n, spread);
    const cap = thumbs(seed + 1, m, spread / 2);
    ref.fill(0, 0, signatureBytes);
    cap.fill(255, 0, signatureBytes);
    const expected = blockPair(ref, cap, false);
    const means = { ref: Array.from(expected.ref.means), cap: Array.from(expected.cap.means) };
    const variances = { ref: Array.from(expected.ref.variances), cap: Array.from(expected.cap.variances) };
    const ssims = Array.from({ length: n * m }, (_, k) => expected.ssim(Math.floor(k / m), k % m));
    const wasm = blockPair(ref, cap, true);
    expect({ ref: Array.from(wasm.ref.means), cap: Array.from(wasm.cap.means) }).toEqual(means);
    expect({ ref: Array.from(wasm.ref.variances), cap: Array.from(wasm.cap.variances) }).toEqual(variances);
    expect(Array.from({ length: n * m }, (_, k) => wasm.ssim(Math.floor(k / m), k % m))).toEqual(ssims);
    expect(isDarkAndFlat(wasm.ref, 0, 20, 5)).toBe(true);
    expect(isDarkAndFlat(wasm.cap, 0, 20, 5)).toBe(false);
  });

  it("gives the same from thumbnails placed in the module's memory (a window of the reference), and leaves them intact", () => {
    const ref = thumbs(7, 9, 300);
    const cap = thumbs(8, 6, 150);
    const placed = lumaInWasm(9, 6);
    if (placed === undefined) throw new Error("the module is not built");
    placed.ref.set(ref);
    placed.cap.set(cap);
    const window = placed.ref.subarray(2 * signatureBytes, 7 * signatureBytes);
    const expected = blockPair(ref.subarray(2 * signatureBytes, 7 * signatureBytes), cap, false);
    const inPlace = blockPair(window, placed.cap, true);
    // Another comparison's copy into the shared instance does not touch them.
    blockPair(thumbs(9, 40, 100), thumbs(10, 40, 100), true);
    expect(Array.from(inPlace.ref.means)).toEqual(Array.from(expected.ref.means));
    expect(Array.from(inPlace.cap.variances)).toEqual(Array.from(expected.cap.variances));
    expect(Array.from({ length: 30 }, (_, k) => inPlace.ssim(Math.floor(k / 6), k % 6))).toEqual(Array.from({ length: 30 }, (_, k) => expected.ssim(Math.floor(k / 6), k % 6)));
    expect(Array.from(placed.ref)).toEqual(Array.from(ref));
    expect(Array.from(placed.cap)).toEqual(Array.from(cap));
  });
});
