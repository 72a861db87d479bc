// GCC's execute torture tests (a corpus nobody here wrote, docs/torture.md): each program built at
// -O0/-O2/-O3 for the Switch's CPU against picolibc, run under qemu-aarch64 (the oracle) and through
// recomp lift + emit (linux personality) + make; every program whose qemu run passes must print and
// exit exactly as under qemu.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractCorpus, gccSourceTarball, listPrograms, type TortureProgram } from "../../scripts/torture/corpus.js";
import { readProgramList, type ProgramResult } from "../../scripts/torture/compare.js";
import { optimisationLevels, picolibcSpecs } from "../../scripts/torture/guest-build.js";
import { runLevel } from "../../scripts/torture/level-run.js";
import { requireFiles, requireTools } from "../helpers/tools.js";

const tools = ["aarch64-linux-gnu-gcc", "aarch64-linux-gnu-objcopy", "aarch64-linux-gnu-objdump", "qemu-aarch64", "cc", "make", "tar"];
const corpusFiles = [
  { path: gccSourceTarball, debianPackage: "gcc-12-source" },
  { path: picolibcSpecs, debianPackage: "picolibc-aarch64-linux-gnu" },
];
const available = (): boolean => requireTools(...tools) && requireFiles(...corpusFiles);

/** What a failing program looks like in the assertion: its name, level and verdict. */
const compared = (results: readonly ProgramResult[]): string[] =>
  results.filter((r) => !["excluded", "not-built", "qemu-fails"].includes(r.verdict.kind)).map((r) => `${r.level} ${r.name} ${JSON.stringify(r.verdict)}`);

describe.runIf(available())("GCC torture corpus: recompiled vs qemu-aarch64", () => {
  let work: string;
  let corpus: TortureProgram[];
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "recomp-torture-"));
    corpus = await listPrograms(await extractCorpus(work));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  // The fixed sample (test/torture/sample.txt, 332 programs) at each level, through the whole path: one linked
  // binary per level, argv selection, qemu, lift, emit, make, run.
  describe("the fixed sample", () => {
    let sample: TortureProgram[];
    beforeAll(async () => {
      const names = await readProgramList(join(import.meta.dirname, "sample.txt"));
      sample = corpus.filter((program) => names.includes(program.name));
      expect(sample.map((program) => program.name)).toEqual(names);
      expect(sample.length).toBeGreaterThanOrEqual(300);
    });

    // Most of the sample must build and pass under qemu, so the comparison cannot go empty unnoticed.
    const expectAllPass = (results: readonly ProgramResult[]): void => {
      const passing = results.filter((r) => r.verdict.kind === "pass").map((r) => `${r.level} ${r.name} {"kind":"pass"}`);
      expect(compared(results).length).toBeGreaterThanOrEqual(280);
      expect(compared(results)).toEqual(passing);
    };

    it.each(optimisationLevels)("%s: every program whose qemu run passes prints and exits exactly as under qemu", async (level) => {
      expectAllPass(await runLevel(sample, level, join(work, "sample"), { buildCache: join(work, "built") }));
    }, 1_200_000);

    // Optimisation tiers (docs/runtime-core.md): the profiling build's run of one program is the profile, so every
    // other program's own functions are in cold files (-O0, checked calls for loads and stores), calling and called
    // by hot ones; the -O2 guest binary is the one built above.
    it("-O2 tiered by the profile of one program's run: every program whose qemu run passes still does exactly as under qemu", async () => {
      expectAllPass(await runLevel(sample, "-O2", join(work, "tiered"), { buildCache: join(work, "built"), tiered: true }));
    }, 1_200_000);
  });
});
