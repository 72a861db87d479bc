// A C program of FP code as GCC emits it (test/diff/programs/fp-math.c: arithmetic, fma, min/max, rounding,
// integer/half/precision conversions, compares under every FPCR rounding mode, FZ, DN and AHP) through lift,
// emit and cc against qemu-aarch64; and every FP instruction of it printed as objdump prints it.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { decodeA64, formatInsn, imageFromElf, liftModule } from "../../src/lift/index.js";
import { requireTools } from "../helpers/tools.js";
import { normaliseObjdump } from "../lift/objdump.js";
import { runLifted } from "./run-lifted.js";

const source = join(import.meta.dirname, "programs", "fp-math.c");
const flags = [
  "-static", "-nostdlib", "-ffreestanding", "-march=armv8-a+crc+crypto", "-fno-math-errno", "-mno-outline-atomics",
  "-fno-stack-protector", "-fno-tree-loop-distribute-patterns", "-fno-tree-vectorize",
];
/** The FP data-processing mnemonics (not loads and stores, which are another group's). */
const fpMnemonic = /^(f[a-z0-9]+|scvtf|ucvtf)\b/;

describe.runIf(requireTools("aarch64-linux-gnu-gcc", "aarch64-linux-gnu-objdump", "qemu-aarch64", "cc", "make"))("FP program vs qemu-aarch64", () => {
  it.each([["-O1"], ["-O2"], ["-O3"]])("fp-math.c at %s prints and exits exactly as under qemu", async (level) => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-fp-program-"));
    try {
      const elf = join(dir, "fp-math");
      await execa("aarch64-linux-gnu-gcc", [level, ...flags, "-o", elf, source]);
      const { stdout: listing } = await execa("aarch64-linux-gnu-objdump", ["-d", "-j", ".text", elf]);
      const wrongText: string[] = [];
      let fpCount = 0;
      for (const line of listing.split("\n")) {
        const match = /^\s*([0-9a-f]+):\t([0-9a-f]{8})\s*\t?(.*)$/.exec(line);
        const text = match === null ? undefined : normaliseObjdump(match[3]);
        if (match === null || text === undefined || !fpMnemonic.test(text)) continue;
        fpCount++;
        const ours = formatInsn(decodeA64(parseInt(match[2], 16), BigInt(`0x${match[1]}`)));
        if (ours !== text) wrongText.push(`${match[2]}: ours "${ours}" objdump "${text}"`);
      }
      expect(wrongText).toEqual([]);
      expect(fpCount).toBeGreaterThan(40);

      const expected = await execa("qemu-aarch64", [elf], { reject: false });
      const lifted = await liftModule({ image: await imageFromElf(elf), mode: "decode", outDir: join(dir, "lift") });
      expect(lifted.unsupported).toEqual([]);
      const actual = await runLifted(lifted.modulePath, join(dir, "build"));
      expect(actual.stdout).toBe(expected.stdout);
      expect(actual.exitCode).toBe(expected.exitCode);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
