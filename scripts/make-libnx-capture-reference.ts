// Reference hash lists of the libnx samples that have no formula for every pixel (hello-world, read-controls,
// playtone): taken from this runtime's own capture. The script runs `recomp automate` on a copy of the sample
// (in a temp folder) whose reference is, for this one run, the capture's own lists, and commits those lists as
// samples/libnx/<name>/reference/ with reference_video.toml.
//
//   npm run build && npx tsx scripts/make-libnx-capture-reference.ts hello-world read-controls playtone
//
// What makes these lists a reference rather than a snapshot: test/libnx/examples.test.ts checks, on the frames
// and sound whose hashes they are, what the source promises (the console text cells, "<button> down" after each
// press, each note's frequency and level and silence between), and that the lists are exactly those hashes.
// Issue 13's emulated reference (qemu) cross-checks them independently.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { automateSample, copyLibnxSample, libnxExamples, libnxReferenceToml, repoRoot, type LibnxExample } from "./libnx-samples.js";

const what: Record<string, string> = {
  "hello-world": "libnx's console prints Hello World! at row 16, column 20, until the replayed Plus",
  "read-controls": "libnx's console prints \"<button> down\" in the frame of each replayed press, until Plus",
  playtone: "one 1454-sample-frame buffer of each pressed button's note, a sine at 30% of full scale, silence between",
};

function referenceToml(name: string, frames: number, audioWindows: number): string {
  return libnxReferenceToml({
    header: `Reference of libnx ${name}: the hash lists of a capture of the horizon runtime (${frames} frames,
${audioWindows} audio windows), made by scripts/make-libnx-capture-reference.ts. No formula gives every pixel; what
the source promises (${what[name]}) is checked on those very frames and sound by test/libnx/examples.test.ts.
Do not edit by hand; run the script again.`,
    name,
    frames,
    notes: "Bit-exact against a verified capture of this runtime (see the header).",
  });
}

const hashCount = (text: string): number => text.split("\n").filter((line) => /^[0-9a-f]{64}$/.test(line)).length;

async function makeReference(name: LibnxExample): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), `recomp-libnx-reference-${name}-`));
  try {
    await copyLibnxSample(name, dir);
    // First pass: a placeholder reference (one frame, one window), so every stage up to hashing runs and
    // validation fails (exit 1); the capture's lists then become the reference, and the second pass must pass.
    await mkdir(join(dir, "reference"), { recursive: true });
    for (const list of ["frames.sha256", "audio.sha256"]) await writeFile(join(dir, "reference", list), `${"0".repeat(64)}\n`);
    await writeFile(join(dir, "reference_video.toml"), referenceToml(name, 60, 1));
    const first = await automateSample(dir);
    if (first.code !== 1) throw new Error(`automate of ${name} exited ${first.code} (want 1: validation against the placeholder):\n${first.output}`);
    const sample = join(repoRoot, "samples", "libnx", name);
    const lists = await Promise.all(["frames.sha256", "audio.sha256"].map((list) => readFile(join(dir, "work", "capture", list), "utf8")));
    const [frames, windows] = lists.map(hashCount);
    const toml = referenceToml(name, frames, windows);
    await writeFile(join(dir, "reference_video.toml"), toml);
    for (const [i, list] of ["frames.sha256", "audio.sha256"].entries()) await writeFile(join(dir, "reference", list), lists[i]);
    const second = await automateSample(dir);
    if (second.code !== 0) throw new Error(`automate of ${name} against its new reference exited ${second.code}:\n${second.output}`);
    await mkdir(join(sample, "reference"), { recursive: true });
    for (const [i, list] of ["frames.sha256", "audio.sha256"].entries()) await writeFile(join(sample, "reference", list), lists[i]);
    await writeFile(join(sample, "reference_video.toml"), toml);
    console.log(`${name}: ${frames} frames, ${windows} audio windows`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const names = process.argv.slice(2);
for (const name of names) {
  if (!(libnxExamples as readonly string[]).includes(name) || name === "simplegfx") {
    throw new Error(`${name}: not a libnx sample without a formula (hello-world, read-controls, playtone; simplegfx has its own script)`);
  }
  await makeReference(name as LibnxExample);
}
