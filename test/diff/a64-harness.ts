// Test helper: single A64 instructions against qemu-aarch64. Each case runs one word on its own random state
// (x0..x7, v0..v7, NZCV, FPCR, FPSR, and a 256-byte scratch area that x7 points into when the case asks for
// memory); every general register, V register, NZCV, FPSR, FPCR and the scratch bytes after the instruction must
// equal qemu's. All cases share one program: one build, one qemu run, one recompiled run.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import fc from "fast-check";
import { emitProject } from "../../src/emit/index.js";
import { decodeA64, formatInsn, imageFromElf, liftModule } from "../../src/lift/index.js";

/** A class of encodings: random words keep (word & mask) === value; register fields are forced to 0..7. */
export interface InstructionClass {
  name: string;
  mask: number;
  value: number;
  /** Low bit positions of 5-bit register fields (general or V), forced to registers 0..7. */
  registers: number[];
  /** x7 points at the middle of the case's scratch area (fields naming x7 as a base should be listed in `registers` too). */
  memory?: boolean;
  /** Other fields to force: [low bit, width, value]. */
  fixed?: [number, number, number][];
}

export interface Case {
  owner: string;
  word: number;
  /** x0..x7, then v0..v7 as 16 pairs of 64-bit halves (low first), then nzcv, fpcr, fpsr. */
  inputs: bigint[];
  scratch: Buffer;
  memory: boolean;
}

const generalCount = 8;
const vectorCount = 8;
const inputWords = generalCount + vectorCount * 2 + 3;
/** x0..x7, v0..v7 (two words each), nzcv, fpsr, fpcr. */
const outputWords = generalCount + vectorCount * 2 + 3;
export const scratchBytes = 256;
/** FPCR bits a test may set: AHP, DN, FZ and RMode (trap enables and FZ16 are not on the Switch's core). */
const fpcrModeBits = 0x07c00000n;
/** FPSR's cumulative exception flags and QC. */
const fpsrFlagBits = 0x0800009fn;

const interestingWords = [
  0n, 1n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x7fffffffffffffffn, 0x8000000000000000n, (1n << 64n) - 1n,
  // FP values: +-0, +-1, +-inf, quiet and signalling NaNs, the smallest normal and a denormal, as double and float pairs.
  0x3ff0000000000000n, 0xbff0000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000001n,
  0x7ff4000000000000n, 0x0010000000000000n, 0x000fffffffffffffn, 0x3f8000007f800000n, 0x7fc000007fa00000n,
  0x0080000000400000n, 0x4f0000004f800000n, 0x5f0000005f800000n, 0xc1e0000000000000n, 0x43e0000000000000n,
];

/** Random cases of each class: words the decoder accepts, with random state biased toward edge values. */
export function makeCases(classes: readonly InstructionClass[], perClass: number, seed: number): Case[] {
  const word64 = fc.oneof(fc.constantFrom(...interestingWords), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }));
  const cases: Case[] = [];
  classes.forEach((cls, index) => {
    const samples = fc.sample(
      fc.tuple(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 5, maxLength: 5 }),
        fc.array(word64, { minLength: inputWords, maxLength: inputWords }),
        fc.uint8Array({ minLength: scratchBytes, maxLength: scratchBytes }),
        fc.boolean(),
      ),
      { seed: seed + index, numRuns: perClass * 32 },
    );
    let taken = 0;
    for (const [random, registers, inputs, scratch, sameHalves] of samples) {
      if (taken === perClass) break;
      let word = ((random & ~cls.mask) | cls.value) >>> 0;
      cls.registers.forEach((at, i) => (word = ((word & ~(31 << at)) | ((registers[i % registers.length]) << at)) >>> 0));
      for (const [at, width, value] of cls.fixed ?? []) {
        const fieldMask = (((1 << width) - 1) << at) >>> 0;
        word = ((word & ~fieldMask) | ((value << at) & fieldMask)) >>> 0;
      }
      const decoded = decodeA64(word, 0x400000n);
      // Unsupported words, and words lifted as traps (features the Cortex-A57 lacks, e.g. GCS's gcspushm): not cases.
      if (formatInsn(decoded) === undefined || (decoded.supported && decoded.flow.kind === "trap")) continue;
      const state = [...inputs];
      // Equal lanes make compares, min/max and pairwise ops meet their ties.
      if (sameHalves) state[generalCount + 2] = state[generalCount];
      state[inputWords - 3] = (state[inputWords - 3]) & 0xf0000000n;
      state[inputWords - 2] = (state[inputWords - 2]) & fpcrModeBits;
      state[inputWords - 1] = (state[inputWords - 1]) & fpsrFlagBits;
      cases.push({ owner: cls.name, word, inputs: state, scratch: Buffer.from(scratch), memory: cls.memory ?? false });
      taken++;
    }
  });
  return cases;
}

/**
 * One function per case (called from _start): the lifter, emitter and compiler see many small functions spread over
 * several C units (built in parallel) instead of one huge one. x23 keeps the return address: the instruction under
 * test may write x30.
 */
function caseCode(c: Case, index: number): string[] {
  return [
    `case_${index}:`, "  mov x23, x30",
    `  adrp x22, scratch_${index}`, `  add x22, x22, :lo12:scratch_${index}`,
    "  ldp x0, x1, [x20], #16", "  ldp x2, x3, [x20], #16", "  ldp x4, x5, [x20], #16", "  ldp x6, x7, [x20], #16",
    "  ldp q0, q1, [x20], #32", "  ldp q2, q3, [x20], #32", "  ldp q4, q5, [x20], #32", "  ldp q6, q7, [x20], #32",
    "  ldr x8, [x20], #8", "  msr nzcv, x8", "  ldr x8, [x20], #8", "  msr fpcr, x8", "  ldr x8, [x20], #8", "  msr fpsr, x8",
    ...(c.memory ? [`  add x7, x22, #${scratchBytes / 2}`] : []),
    `  .inst 0x${c.word.toString(16).padStart(8, "0")}`,
    "  stp x0, x1, [x21], #16", "  stp x2, x3, [x21], #16", "  stp x4, x5, [x21], #16", "  stp x6, x7, [x21], #16",
    "  stp q0, q1, [x21], #32", "  stp q2, q3, [x21], #32", "  stp q4, q5, [x21], #32", "  stp q6, q7, [x21], #32",
    "  mrs x8, nzcv", "  mrs x9, fpsr", "  stp x8, x9, [x21], #16", "  mrs x8, fpcr", "  str x8, [x21], #8",
    "  mov x30, x23", "  ret",
  ];
}

function program(cases: readonly Case[]): string {
  const outputBytes = cases.length * outputWords * 8;
  return [
    "  .text", "  .globl _start", "_start:",
    "  adrp x20, inputs", "  add x20, x20, :lo12:inputs", "  adrp x21, outputs", "  add x21, x21, :lo12:outputs",
    ...cases.map((_, i) => `  bl case_${i}`),
    // write(1, outputs, size) then the scratch areas, then exit(0)
    "  mov x0, #1", "  adrp x1, outputs", "  add x1, x1, :lo12:outputs", `  ldr x2, =${outputBytes}`, "  mov x8, #64", "  svc #0",
    "  mov x0, #1", "  adrp x1, scratch_0", "  add x1, x1, :lo12:scratch_0", `  ldr x2, =${cases.length * scratchBytes}`, "  mov x8, #64", "  svc #0",
    "  mov x0, #0", "  mov x8, #93", "  svc #0", "1:", "  b 1b",
    "  .ltorg",
    ...cases.flatMap(caseCode),
    "  .data", "  .balign 16", "inputs:",
    ...cases.flatMap((c) => c.inputs.map((v) => `  .quad 0x${v.toString(16)}`)),
    "  .balign 16",
    ...cases.flatMap((c, i) => [`scratch_${i}:`, `  .byte ${[...c.scratch].join(", ")}`]),
    "  .bss", "  .balign 16", "outputs:", `  .space ${outputBytes}`,
    "",
  ].join("\n");
}

const outputNames = [
  ...Array.from({ length: generalCount }, (_, i) => `x${i}`),
  ...Array.from({ length: vectorCount }, (_, i) => [`v${i}.d[0]`, `v${i}.d[1]`]).flat(),
  "nzcv", "fpsr", "fpcr",
];

/** Differences between the two runs, one line per case that differs: instruction, then each differing value. */
function compare(cases: readonly Case[], expected: Buffer, actual: Buffer): string[] {
  const mismatches: string[] = [];
  const scratchAt = cases.length * outputWords * 8;
  cases.forEach((c, i) => {
    const at = i * outputWords * 8;
    const differing: string[] = [];
    outputNames.forEach((name, r) => {
      const want = expected.readBigUInt64LE(at + r * 8);
      const got = actual.readBigUInt64LE(at + r * 8);
      if (want !== got) differing.push(`${name}=0x${got.toString(16)}/qemu 0x${want.toString(16)}`);
    });
    const s = scratchAt + i * scratchBytes;
    if (!expected.subarray(s, s + scratchBytes).equals(actual.subarray(s, s + scratchBytes))) differing.push("scratch memory differs");
    if (differing.length > 0) {
      mismatches.push(`${c.owner} ${c.word.toString(16).padStart(8, "0")} "${formatInsn(decodeA64(c.word, 0x400000n))}": ${differing.join(" ")}`);
    }
  });
  return mismatches;
}

/**
 * Runs every case under qemu-aarch64 (`cpu` model, default "max") and recompiled (lift, emit with the linux
 * personality, cc -O1), and returns the mismatches (empty when all agree).
 */
export async function differences(cases: readonly Case[], options: { cpu?: string } = {}): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), "recomp-a64-harness-"));
  try {
    await writeFile(join(dir, "cases.S"), program(cases));
    const elf = join(dir, "cases");
    await execa("aarch64-linux-gnu-gcc", ["-nostdlib", "-static", "-march=armv8-a+crc+crypto", "-o", elf, join(dir, "cases.S")]);
    const qemu = await execa("qemu-aarch64", ["-cpu", options.cpu ?? "max", elf], { encoding: "buffer" });
    const lifted = await liftModule({ image: await imageFromElf(elf), mode: "decode", outDir: join(dir, "lift") });
    if (lifted.unsupported.length > 0) {
      return lifted.unsupported.map((u) => `unsupported ${JSON.stringify(u)}`);
    }
    const build = join(dir, "build");
    const emitted = await emitProject({ moduleJsonPath: lifted.modulePath, outDir: build, personality: "linux" });
    await execa("make", ["-s", "-C", build, "CFLAGS=-O1"]);
    const ours = await execa(join(build, emitted.executable), [], { encoding: "buffer", reject: false });
    if (ours.exitCode !== 0) return [`recompiled run failed (${ours.exitCode}): ${Buffer.from(ours.stderr).toString()}`];
    return compare(cases, Buffer.from(qemu.stdout), Buffer.from(ours.stdout));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
