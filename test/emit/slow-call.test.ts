// The scalar FP helpers' general paths reached through rt_slow_call* (runtime/core/a64/slow_call.h): right results
// and flags, every value the caller holds in registers kept across the call, and on x86-64 no callee-saved register
// pushed by a function whose only call is such a slow path.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireTools } from "../helpers/tools.js";

const core = join(import.meta.dirname, "..", "..", "runtime", "core");

/*
 * FPCR.FZ sends every helper to its general path. Twelve values read through a volatile pointer live across the
 * calls in registers; their weighted sum is compared with the same sum from a function that makes no call.
 */
const driver = `#include <stdio.h>
#include <inttypes.h>
#include "a64/fp_scalar.h"
static volatile uint64_t seeds[12] = {3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41};
#define KEEP uint64_t k0 = seeds[0], k1 = seeds[1], k2 = seeds[2], k3 = seeds[3], k4 = seeds[4], k5 = seeds[5], \\
  k6 = seeds[6], k7 = seeds[7], k8 = seeds[8], k9 = seeds[9], k10 = seeds[10], k11 = seeds[11]
#define SUM (k0 * 1 + k1 * 2 + k2 * 3 + k3 * 4 + k4 * 5 + k5 * 6 + k6 * 7 + k7 * 8 + k8 * 9 + k9 * 10 + k10 * 11 + k11 * 12)
__attribute__((noinline)) static uint64_t plain_sum(void) { KEEP; return SUM; }
__attribute__((noinline)) static uint64_t slow_paths(recomp_cpu *cpu, uint64_t *r) {
  KEEP;
  r[0] = rt_a64_fp_arith(cpu, 0x1000, RT_FP_ADD, 1, 0x00000001, 0);
  r[1] = rt_a64_fp_fcvt(cpu, 0x1004, 2, 1, UINT64_C(0x7ff0000000000001));
  r[2] = rt_a64_fp_compare(cpu, 0x1008, 0, 0, 1, 0x7fc00000, 0x3f800000);
  r[3] = rt_a64_fp_muladd(cpu, 0x100c, 0, 0, 2, UINT64_C(0x3ff0000000000000), UINT64_C(0x4000000000000000), UINT64_C(0x4008000000000000));
  r[4] = rt_a64_fp_to_int(cpu, 0x1010, RT_ROUND_ZERO, 1, 32, 0, 2, UINT64_C(0x4004000000000000));
  r[5] = rt_a64_fp_frint(cpu, 0x1014, RT_ROUND_NEAREST, 0, 2, UINT64_C(0x4004000000000000));
  r[6] = rt_a64_fp_sqrt(cpu, 0x1018, 2, UINT64_C(0x4010000000000000));
  r[7] = rt_a64_fp_minmax(cpu, 0x101c, 1, 0, 2, UINT64_C(0x3ff0000000000000), UINT64_C(0x4000000000000000));
  return SUM;
}
int main(void) {
  static recomp_cpu cpu;
  uint64_t r[8];
  cpu.fpcr = RT_FPCR_FZ;
  uint64_t kept = slow_paths(&cpu, r);
  for (int i = 0; i < 8; i++) printf("%" PRIx64 "\\n", r[i]);
  printf("fpsr %x\\n", (unsigned)cpu.fpsr);
  printf("%s\\n", kept == plain_sum() ? "kept" : "clobbered");
  return 0;
}
`;

/** An FP function whose only call is the general path of fadd: a leaf on x86-64. */
const leaf = `#include "a64/fp_scalar.h"
uint64_t leaf(recomp_cpu *restrict cpu, uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
  uint64_t s = rt_a64_fp_arith(cpu, 0x2000, RT_FP_ADD, 2, a, b);
  return s + c * d + a;
}
`;

const flags = ["-std=c99", "-O2", "-ffp-contract=off", "-frounding-math", `-I${core}`];

describe("FP general paths through rt_slow_call (runtime/core/a64/slow_call.h)", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "recomp-slow-call-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.runIf(requireTools("cc"))("give the general helpers' results and flags and keep the caller's registers", async () => {
    await writeFile(join(dir, "driver.c"), driver);
    const exe = join(dir, "driver");
    await execa("cc", [...flags, "-o", exe, join(dir, "driver.c"), join(core, "a64", "fp_scalar.c"), "-lm"]);
    const lines = (await execa(exe)).stdout.trim().split("\n");
    // FZ flushes the denormal (IDC); the signalling NaN converts quieted (IOC); NaN compares unordered (0011);
    // 1*2+3 = 5; 2.5 truncates to 2 (IXC) and rounds to even 2.0; sqrt(4) = 2; max(1, 2) = 2.
    expect(lines).toEqual(["0", "7fc00000", "3", "4014000000000000", "2", "4000000000000000", "4000000000000000", "4000000000000000", "fpsr 91", "kept"]);
  }, 60_000);

  it.runIf(requireTools("cc") && process.arch === "x64")("leave a function whose only call is a slow path without callee-saved pushes", async () => {
    await writeFile(join(dir, "leaf.c"), leaf);
    const { stdout: assembly } = await execa("cc", [...flags, "-fno-asynchronous-unwind-tables", "-S", "-o", "-", join(dir, "leaf.c")]);
    const body = assembly.slice(assembly.indexOf("leaf:"));
    expect(body).toContain("call rt_slow_call_x86");
    expect(body).not.toMatch(/\bpush/);
  }, 60_000);
});
