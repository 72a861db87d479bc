// The module.json writer's JSON text against canonicalJsonPretty, for any JSON-like value at any depth.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJsonAt } from "../../src/util/canonical-json-writer.js";
import { canonicalJsonPretty } from "../../src/util/canonical-json.js";

const { node: value } = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.bigInt()),
  node: fc.oneof(
    { depthSize: "small" },
    tie("leaf"),
    fc.array(tie("node"), { maxLength: 4 }),
    // Keys that look like array indices are written first by JSON.stringify: the writer must agree.
    // (A "__proto__" key is lost by canonicalJsonPretty's copy, so it is no test of the writer.)
    fc.dictionary(fc.oneof(fc.string().filter((key) => key !== "__proto__"), fc.constantFrom("0", "7", "10", "01", "a1", " ")), tie("node"), { maxKeys: 5 }),
  ),
}));

describe("canonicalJsonAt", () => {
  it("writes the bytes canonicalJsonPretty writes, nested at any depth", () => {
    fc.assert(
      fc.property(value, fc.nat(3), (item, depth) => {
        fc.pre(depth === 0 || item !== undefined);
        // `item` as the innermost member of `depth` nested objects { inner: ... }.
        let wrapped: unknown = item;
        let prefix = "";
        let suffix = "";
        for (let level = depth - 1; level >= 0; level--) {
          wrapped = { inner: wrapped };
          prefix = `{\n${"  ".repeat(level + 1)}"inner": ${prefix}`;
          suffix = `${suffix}\n${"  ".repeat(level)}}`;
        }
        expect(`${prefix}${canonicalJsonAt(item, "  ".repeat(depth))}${suffix}\n`).toBe(canonicalJsonPretty(wrapped));
      }),
      { numRuns: 500 },
    );
  });

  it("refuses what canonicalJsonPretty refuses", () => {
    expect(() => canonicalJsonAt({ a: [1, Number.NaN] }, "")).toThrow("$.a[1] is not a finite number");
  });
});
