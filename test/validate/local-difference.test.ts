// The colour window's chroma tolerance: what 4:2:0 encoding does to a sharp colour edge is excused in
// proportion to how much of the window one chroma sample is; a tint, or colour one side lacks, is not.
import { describe, expect, it } from "vitest";
import { colourBytes, colourHeight, colourPlane, colourWidth } from "../../src/media/index.js";
import { worstLocalDifference } from "../../src/validate/local-difference.js";

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
