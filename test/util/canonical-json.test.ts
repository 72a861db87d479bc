// Canonical JSON: sorted keys, undefined members dropped, and a value JSON cannot hold named by its path.
import { describe, expect, it } from "vitest";
import { canonicalJson, canonicalJsonPretty } from "../../src/util/canonical-json.js";

describe("canonical JSON", () => {
  it("sorts keys at every level and drops undefined members (null in arrays)", () => {
    expect(canonicalJson({ z: 1, a: [undefined, 2n, new Uint8Array([1, 255])], m: { y: undefined, x: null } })).toBe('{"a":[null,"2","01ff"],"m":{"x":null},"z":1}');
    expect(canonicalJsonPretty({ b: [1], a: "x" })).toBe('{\n  "a": "x",\n  "b": [\n    1\n  ]\n}\n');
  });

  it("names the path of a value JSON cannot hold", () => {
    expect(() => canonicalJson({ a: [1, { b: Infinity }] })).toThrow("canonical JSON: $.a[1].b is not a finite number");
    expect(() => canonicalJson({ a: [1, { b: 2, c: [() => 1] }] })).toThrow("canonical JSON: $.a[1].c[0] has unsupported type function");
    expect(() => canonicalJson(NaN)).toThrow("canonical JSON: $ is not a finite number");
  });
});
