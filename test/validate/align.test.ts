import { describe, expect, it } from "vitest";
import { alignBanded, type AlignStep } from "../../src/validate/index.js";
import type { FrameMetric } from "../../src/validate/frame-similarity.js";

/** Frames are labels; equal labels match. */
function metric(ref: readonly string[], cap: readonly string[]): FrameMetric {
  return {
    matched: (i, j) => ref[i] === cap[j],
    cost: (i, j) => (ref[i] === cap[j] ? 0 : 1),
    similarity: () => undefined,
    region: () => undefined,
  };
}

function align(ref: string[], cap: string[], offset = 0, band = 4): string[] {
  return alignBanded(ref.length, cap.length, offset, band, metric(ref, cap)).map((s: AlignStep) =>
    s.kind === "pair" ? `${s.ref}=${s.cap}${ref[s.ref] === cap[s.cap] ? "" : "!"}` : s.kind === "missing" ? `-${s.ref}` : `+${s.cap}`,
  );
}

const frames = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `f${from + i}`);

describe("banded alignment", () => {
  it("finds one dropped frame where it is, not as a global shift", () => {
    const ref = frames(12);
    const cap = ref.filter((_, i) => i !== 5);
    expect(align(ref, cap)).toEqual(["0=0", "1=1", "2=2", "3=3", "4=4", "-5", "6=5", "7=6", "8=7", "9=8", "10=9", "11=10"]);
  });

  it("marks the later copy of a repeated frame as the extra one", () => {
    const ref = frames(8);
    const cap = [...ref.slice(0, 4), "f3", ...ref.slice(4)];
    expect(align(ref, cap)).toEqual(["0=0", "1=1", "2=2", "3=3", "+4", "4=5", "5=6", "6=7", "7=8"]);
  });

  it("keeps a freeze as mismatched pairs, not as drops and repeats", () => {
    const ref = frames(8);
    const cap = ["f0", "f1", "f2", "f2", "f2", "f2", "f6", "f7"];
    expect(align(ref, cap)).toEqual(["0=0", "1=1", "2=2", "3=3!", "4=4!", "5=5!", "6=6", "7=7"]);
  });

  it("ignores capture frames before and after the span, and counts reference frames never reached", () => {
    expect(align(frames(4, 10), frames(10, 8), 2)).toEqual(["0=2", "1=3", "2=4", "3=5"]);
    expect(align(frames(6), frames(4), 0)).toEqual(["0=0", "1=1", "2=2", "3=3", "-4", "-5"]);
  });

  it("does not follow drift beyond the band", () => {
    const ref = frames(10);
    const cap = ref.slice(3);
    // Three frames missing at the start with a band of 1 around offset 0: they cannot all be skipped.
    expect(align(ref, cap, 0, 1).filter((s) => s.endsWith("!")).length).toBeGreaterThan(0);
  });
});
