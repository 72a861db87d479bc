/**
 * Longer fuzzing of the format parsers than the test suite runs: random and mutated inputs for
 * NRO, NSO (with segment loading and MOD0), NACP, RomFS and LZ4; each case must give a result or
 * a RecompError, reading nothing outside the input.
 *
 *   npx tsx bench/fuzz-formats.ts [cases-per-parser=200000] [seed=random]
 */
import fc from "fast-check";
import { fuzzProperty, fuzzTargets } from "../test/fixtures/fuzz-targets.js";

const cases = Number(process.argv[2] ?? 200_000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
console.log(`fuzzing ${fuzzTargets.length} parsers, ${cases} cases each, seed ${seed}`);
let failed = false;
for (const target of fuzzTargets) {
  const started = performance.now();
  const result = await fc.check(fuzzProperty(target), { numRuns: cases, seed });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.failed) {
    failed = true;
    console.log(`${target.name}: FAILED after ${result.numRuns} cases (${seconds} s)\n${fc.defaultReportMessage(result) ?? ""}`);
  } else {
    console.log(`${target.name}: ${result.numRuns} cases ok (${seconds} s)`);
  }
}
process.exitCode = failed ? 1 : 0;
