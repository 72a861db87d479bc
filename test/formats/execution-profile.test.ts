// formats/execution-profile.ts: the profile runtime/core/profile.c writes, read back exactly; every other line is
// an error naming the file and line.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { executionProfileHeader, functionKey, parseExecutionProfile } from "../../src/formats/execution-profile.js";
import { RecompError } from "../../src/util/errors.js";

/** What profile.c prints for these (entry, calls) pairs, sorted by entry. */
const written = (rows: readonly [bigint, bigint][]): string =>
  [executionProfileHeader, ...rows.map(([entry, calls]) => `0x${entry.toString(16)} ${calls}`)].join("\n") + "\n";

function failure(text: string): { line: number | undefined; message: string } {
  try {
    parseExecutionProfile(text, "p.txt");
  } catch (error) {
    if (!(error instanceof RecompError)) throw error;
    return { line: error.location.line, message: error.message };
  }
  throw new Error("parsed");
}

describe("execution profile", () => {
  it("reads back every entry and count profile.c writes", () => {
    const rows = fc.uniqueArray(fc.tuple(fc.bigInt(0n, (1n << 64n) - 1n), fc.bigInt(1n, (1n << 64n) - 1n)), { selector: ([entry]) => entry, maxLength: 50 });
    fc.assert(
      fc.property(rows, (unsorted) => {
        const sorted = [...unsorted].sort((a, b) => (a[0] < b[0] ? -1 : 1));
        const profile = parseExecutionProfile(written(sorted), "p.txt");
        expect([...profile.calls]).toEqual(sorted.map(([entry, calls]) => [functionKey(entry), calls]));
        expect(sorted.every(([entry], index) => profile.lines.get(functionKey(entry)) === index + 2)).toBe(true);
      }),
    );
  });

  it("names the file and line of a wrong header, a malformed line, a zero count and an unsorted entry", () => {
    expect(failure("0x10 1\n")).toMatchObject({ line: 1, message: expect.stringMatching(/^p\.txt:1: not an execution profile/) as unknown });
    expect(failure(`${executionProfileHeader}\n0x10 1\n0x2G 1\n`)).toMatchObject({ line: 3, message: expect.stringContaining('found "0x2G 1"') as unknown });
    expect(failure(`${executionProfileHeader}\n0x10 0\n`).line).toBe(2);
    expect(failure(`${executionProfileHeader}\n0x10 1\n\n`).line).toBe(3);
    expect(failure(`${executionProfileHeader}\n0x20 1\n0x10 1\n`)).toMatchObject({ line: 3, message: expect.stringContaining("not above") as unknown });
    expect(failure(`${executionProfileHeader}\n0x20 1\n0x20 4\n`).line).toBe(3);
  });

  it("accepts a profile of a run that called nothing lifted", () => {
    expect(parseExecutionProfile(`${executionProfileHeader}\n`, "p.txt").calls.size).toBe(0);
  });
});
