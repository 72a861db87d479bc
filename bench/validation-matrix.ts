// The full sensitivity matrix of perceptual validation (issue 14), printed as the table of docs/validation.md:
// every content x every edit, 640x360 at 30 fps. Usage: npx tsx bench/validation-matrix.ts [seconds]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contents, correct, edits, judge, makeReference, makeVariant, type Outcome } from "../test/validate/sensitivity-matrix.js";

const seconds = Number(process.argv[2] ?? 4);
const dir = mkdtempSync(join(tmpdir(), "recomp-matrix-"));
try {
  const outcomes: Array<Outcome & { frames: number }> = [];
  console.log(`| content | edit | expected | result | lowest similarity | failing frames | worst region |\n|---|---|---|---|---|---|---|`);
  for (const content of contents) {
    const reference = makeReference(dir, content, seconds);
    for (const [index, edit] of edits.entries()) {
      if (edit.contents !== undefined && !edit.contents.includes(content)) continue;
      const outcome = await judge(reference, await makeVariant(dir, content, seconds, edit, index), content, edit);
      outcomes.push({ ...outcome, frames: seconds * 30 });
      const failing = outcome.failing.length === 0 ? "none" : `${outcome.failing.length} (${outcome.failing[0]}-${outcome.failing[outcome.failing.length - 1]})`;
      console.log(`| ${content} | ${edit.name} | ${edit.expectPass ? "pass" : "fail"} | ${outcome.passed ? "pass" : "fail"}${correct(outcome) ? "" : " **WRONG**"} | ${outcome.minSimilarity.toFixed(3)} | ${failing} | ${outcome.region ?? ""} |`);
    }
  }
  const faults = outcomes.filter((o) => !o.edit.expectPass);
  const detected = faults.filter(correct).length;
  // A false alarm is a failing frame the edit did not touch, in any clip.
  let clean = 0;
  let alarms = 0;
  for (const o of outcomes) {
    const [first, last] = o.edit.frames ?? [1, 0];
    const touched = o.edit.frames === undefined ? 0 : last - first + 1;
    clean += o.frames - touched;
    alarms += o.failing.filter((f) => f < first || f > last).length;
  }
  console.log(`\ndetection: ${detected} of ${faults.length} faults (${((100 * detected) / faults.length).toFixed(1)}%)`);
  console.log(`false alarms: ${alarms} of ${clean} untouched frames (${((100 * alarms) / clean).toFixed(2)}%); clips wrongly failed: ${outcomes.filter((o) => o.edit.expectPass && !o.passed).length} of ${outcomes.filter((o) => o.edit.expectPass).length}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
