// The colour window's chroma tolerance: what 4:2:0 encoding does to a sharp colour edge is excused in
// proportion to how much of the window one chroma sample is; a tint, or colour one side lacks, is not.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { colourBytes, colourHeight, colourPlane, colourWidth } from "../../src/media/index.js";
import { worstLocalDifference } from "../../src/validate/local-difference.js";
import { measureInWasm } from "../../src/validate/local-difference-wasm.js";

type Sample = readonly [y: number, u: number, v: number];

/** One 64x36 planar YUV 4:4:4 thumbnail from a function of the sample position. */
function thumb(sample: (x: number, y: number) => Sample): Uint8Array {
  const bytes = new Uint8Array(colourBytes);
  for (let y = 0; y < colourHeight; y += 1) {
    for (let x = 0; x < colourWidth; x += 1) {
      const [ly, u, v] = sample(x, y);
      const k = y * colourWidth + x;
      bytes[k] = ly;
      bytes[colourPlane + k] = u;
      bytes[2 * colourPlane + k] = v;
    }
  }
  return bytes;
}

const grey: Sample = [120, 128, 128];
// Fine chroma stripes (U 68 and 188 in alternate columns: a deviation of 60), and the same with U moved
// one way by 10 in a patch, as RGB clipping of smeared chroma does at saturated edges.
const stripes = (x: number): Sample => [120, x % 2 === 0 ? 68 : 188, 128];
const clipped = (x: number, y: number): Sample => {
  const [l, u, v] = stripes(x);
  return x >= 20 && x < 40 && y >= 10 && y < 25 ? [l, u + 10, v] : [l, u, v];
};
const small = { width: 160, height: 90 };
const large = { width: 640, height: 360 };

describe("worstLocalDifference: the colour window's chroma tolerance", () => {
  it("excuses a one-way chroma change among sharp colour edges at 160x90 (2 px / window side x 2 x deviation)", () => {
    const d = worstLocalDifference(thumb(stripes), 0, thumb(clipped), 0, small);
    expect(d.channel).toBe("luma");
    expect(d.similarity).toBe(1);
  });

  it("excuses only a quarter as much at 640x360, where one chroma sample is 1/25 of the window", () => {
    const d = worstLocalDifference(thumb(stripes), 0, thumb(clipped), 0, large);
    expect(d.channel).toBe("blue");
    expect(d.difference).toBeCloseTo(20.17, 2);
    // A 5-sample window holds 3 and 2 stripes: a deviation of 120 x sqrt(0.6 x 0.4).
    expect(d.tolerance).toBeCloseTo(0.08 * 2.017 * 120 * Math.sqrt(0.24), 2);
    expect(d.similarity).toBeLessThan(0.9);
  });

  it("excuses nothing for a tint of a flat area", () => {
    const tinted = (x: number, y: number): Sample => (x >= 20 && x < 30 && y >= 10 && y < 20 ? [120, 132, 128] : grey);
    const d = worstLocalDifference(thumb(() => grey), 0, thumb(tinted), 0, small);
    expect(d).toMatchObject({ channel: "blue", tolerance: 0 });
    expect(d.difference).toBeCloseTo(8.07, 2);
    expect(d.similarity).toBeCloseTo(1 - 8.068 / 60, 3);
  });

  it("excuses nothing for a coloured sprite the capture lacks, however sharp its edges", () => {
    const sprite = (x: number, y: number): Sample => (x >= 40 && x < 43 && y >= 5 && y < 8 ? [120, 188, 128] : grey);
    const d = worstLocalDifference(thumb(sprite), 0, thumb(() => grey), 0, small);
    expect(d).toMatchObject({ channel: "blue", tolerance: 0 });
    expect(d.similarity).toBeLessThan(0.5);
  });
});

/**
 * The measure as docs/validation.md defines it, window by window with direct sums: the oracle for the
 * fast search (summed-area tables, tolerance computed only where a window can decide).
 */
function bruteForce(a: Uint8Array, b: Uint8Array, frame: { width: number; height: number }): { similarity: number; channel: string; cellX: number; cellY: number; cells: number; difference: number; tolerance: number } {
  const sum = (bytes: Uint8Array, plane: number, x: number, y: number, cells: number, f: (v: number) => number) => {
    let total = 0;
    for (let row = y; row < y + cells; row += 1) for (let col = x; col < x + cells; col += 1) total += f(bytes[plane * colourPlane + row * colourWidth + col]);
    return total;
  };
  const diff = (plane: number, x: number, y: number, cells: number) => sum(a, plane, x, y, cells, (v) => v) - sum(b, plane, x, y, cells, (v) => v);
  const deviation = (bytes: Uint8Array, plane: number, x: number, y: number) => {
    const mean = sum(bytes, plane, x, y, 5, (v) => v - 128) / 25;
    return Math.sqrt(Math.max(0, sum(bytes, plane, x, y, 5, (v) => (v - 128) ** 2) / 25 - mean * mean));
  };
  let detail = { difference: 0, cellX: 0, cellY: 0 };
  for (let y = 0; y + 2 <= colourHeight; y += 1) {
    for (let x = 0; x + 2 <= colourWidth; x += 1) {
      const d = Math.abs((1.164 * diff(0, x, y, 2)) / 4);
      if (d > detail.difference) detail = { difference: d, cellX: x, cellY: y };
    }
  }
  const share = 4 / Math.min((5 * frame.width) / colourWidth, (5 * frame.height) / colourHeight);
  let colour = { difference: 0, tolerance: 0, cellX: 0, cellY: 0, channel: "red" };
  let excess = 0;
  for (let y = 0; y + 5 <= colourHeight; y += 1) {
    for (let x = 0; x + 5 <= colourWidth; x += 1) {
      const [dy, du, dv] = [(1.164 * diff(0, x, y, 5)) / 25, diff(1, x, y, 5) / 25, diff(2, x, y, 5) / 25];
      const su = share * Math.min(deviation(a, 1, x, y), deviation(b, 1, x, y));
      const sv = share * Math.min(deviation(a, 2, x, y), deviation(b, 2, x, y));
      const channels = [
        ["red", Math.abs(dy + 1.596 * dv), 1.596 * sv],
        ["green", Math.abs(dy - 0.392 * du - 0.813 * dv), 0.392 * su + 0.813 * sv],
        ["blue", Math.abs(dy + 2.017 * du), 2.017 * su],
      ] as const;
      for (const [channel, difference, tolerance] of channels) {
        if (difference - tolerance > excess) [excess, colour] = [difference - tolerance, { difference, tolerance, cellX: x, cellY: y, channel }];
      }
    }
  }
  const detailSimilarity = Math.max(0, 1 - detail.difference / 120);
  const colourSimilarity = Math.max(0, Math.min(1, 1 - (colour.difference - colour.tolerance) / 60));
  return detailSimilarity <= colourSimilarity
    ? { ...detail, cells: 2, channel: "luma", tolerance: 0, similarity: detailSimilarity }
    : { ...colour, cells: 5, similarity: colourSimilarity };
}

describe("worstLocalDifference: the fast search finds what the definition does", () => {
  it("runs in the WebAssembly module once it is built", () => {
    expect(measureInWasm(thumb(() => grey), thumb(() => grey), 0.1)).toBeDefined();
  });

  const byte = fc.integer({ min: 0, max: 255 });
  // Pairs of thumbnails: unrelated noise, a picture with small noise on the other side (tolerance decides),
  // and flat colour with a tinted patch (many windows tie: the first must win).
  const noise = fc.tuple(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 12 }));
  const cases = fc.sample(fc.tuple(noise, byte, byte, fc.constantFrom(small, large, { width: 1280, height: 720 })), { seed: 14, numRuns: 12 });

  it.each(cases.map((c, i) => [i, c] as const))("case %i", (_, [[seed, spread, jitter], tintU, tintV, frame]) => {
    let state = seed;
    const random = () => ((state = (state * 48271) % 2147483647) / 2147483647);
    const base = thumb((x, y) => [Math.round(random() * 255), (x * spread + y * 7) % 256, Math.round(random() * 255)]);
    const other = base.map((v) => Math.max(0, Math.min(255, v + Math.round((random() - 0.5) * 2 * jitter))));
    const tinted = thumb((x, y) => (x >= 10 && x < 30 && y >= 8 && y < 20 ? [120, tintU, tintV] : grey));
    for (const [a, b] of [[base, other], [base, thumb(() => [random() * 255, random() * 255, random() * 255])], [thumb(() => grey), tinted], [tinted, tinted]] as const) {
      const expected = bruteForce(a, b, frame);
      // The WebAssembly module (built by `npm run build`) and the TypeScript search give the same doubles.
      expect(worstLocalDifference(a, 0, b, 0, frame, true)).toEqual(expected);
      expect(worstLocalDifference(a, 0, b, 0, frame, false)).toEqual(expected);
    }
  });
});
