import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { memorySource } from "../../src/formats/byte-source.js";
import { fuzzProperty, fuzzTargets } from "../fixtures/fuzz-targets.js";

describe("parsers under random and mutated input", () => {
  for (const target of fuzzTargets) {
    it(`${target.name}: the unmutated fixture parses`, async () => {
      await expect(target.run(memorySource(target.valid, "valid.bin"))).resolves.toBeDefined();
    });

    it(`${target.name}: 10,000 cases give a result or a typed error, never a crash`, async () => {
      await fc.assert(fuzzProperty(target), { numRuns: 10_000, seed: 4242 });
    });
  }
});
