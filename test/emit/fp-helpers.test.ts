// runtime/core/a64's FP element helpers on hand-picked cases whose results the architecture fixes and where x86
// differs from AArch64: NaN selection and default NaN, flush-to-zero, tininess before rounding, rounding modes,
// min/max of zeros and NaNs, the estimate tables, saturating conversion and half-precision overflow.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { requireTools } from "../helpers/tools.js";

const core = join(import.meta.dirname, "..", "..", "runtime", "core");

const driver = `#include <stdio.h>
#include <string.h>
#include <inttypes.h>
#include "a64/fp_vector.h"
int main(void) {
  char op[16]; int fmt; unsigned fpcr; uint64_t a, b;
  while (scanf("%15s %d %x %" SCNx64 " %" SCNx64, op, &fmt, &fpcr, &a, &b) == 5) {
    rt_fp f = {fpcr, 0u};
    uint64_t r = 0;
    if (!strcmp(op, "add")) r = rt_fp_arith(&f, RT_FP_ADD, a, b, fmt);
    else if (!strcmp(op, "sub")) r = rt_fp_arith(&f, RT_FP_SUB, a, b, fmt);
    else if (!strcmp(op, "mul")) r = rt_fp_arith(&f, RT_FP_MUL, a, b, fmt);
    else if (!strcmp(op, "max")) r = rt_fp_minmax(&f, 1, 0, a, b, fmt);
    else if (!strcmp(op, "min")) r = rt_fp_minmax(&f, 0, 0, a, b, fmt);
    else if (!strcmp(op, "maxnm")) r = rt_fp_minmax(&f, 1, 1, a, b, fmt);
    else if (!strcmp(op, "recpe")) r = rt_fp_recip_estimate(&f, a, fmt);
    else if (!strcmp(op, "rsqrte")) r = rt_fp_rsqrt_estimate(&f, a, fmt);
    else if (!strcmp(op, "cvtzs32")) r = rt_fp_to_int(&f, a, fmt, 0, RT_ROUND_ZERO, 1, 32);
    else if (!strcmp(op, "cvtzu64")) r = rt_fp_to_int(&f, a, fmt, 0, RT_ROUND_ZERO, 0, 64);
    else if (!strcmp(op, "tohalf")) r = rt_fp_to_half(&f, a, fmt);
    printf("%" PRIx64 " %x\\n", r, f.flags);
  }
  return 0;
}
`;

const FZ = 0x01000000, DN = 0x02000000, AHP = 0x04000000, RU = 0x00400000, RZ = 0x00c00000;
const IOC = 0x1, OFC = 0x4, UFC = 0x8, IXC = 0x10, IDC = 0x80;

/** [op, fmt (1 single, 2 double), FPCR, a, b, expected result, expected FPSR flags, why]. */
const cases: [string, number, number, bigint, bigint, bigint, number, string][] = [
  ["add", 1, 0, 0x7fc00001n, 0x7f800002n, 0x7fc00002n, IOC, "a signalling NaN wins over an earlier quiet one, quieted"],
  ["add", 1, 0, 0xffc00005n, 0x7fc00009n, 0xffc00005n, 0, "of two quiet NaNs the first, sign and payload kept"],
  ["add", 1, DN, 0x7fc00001n, 0x3f800000n, 0x7fc00000n, 0, "default NaN under FPCR.DN"],
  ["sub", 1, 0, 0x7f800000n, 0x7f800000n, 0x7fc00000n, IOC, "inf - inf is Arm's positive default NaN (x86 makes it negative)"],
  ["add", 1, FZ, 0x00000001n, 0x00000000n, 0x00000000n, IDC, "FZ flushes a denormal input and raises IDC"],
  ["mul", 1, FZ, 0x00800000n, 0x3f000000n, 0x00000000n, UFC, "FZ flushes a denormal result: UFC, no IXC"],
  ["mul", 1, 0, 0x00800000n, 0x3f000000n, 0x00400000n, 0, "an exact denormal result raises nothing"],
  ["mul", 1, 0, 0x3f7fffffn, 0x00800000n, 0x00800000n, UFC | IXC, "tiny before rounding, rounded up to FLT_MIN: UFC (x86 would not)"],
  ["mul", 2, 0, 0x3fefffffffffffffn, 0x0010000000000000n, 0x0010000000000000n, UFC | IXC, "the same at DBL_MIN"],
  ["add", 1, 0, 0x3f800000n, 0x33800000n, 0x3f800000n, IXC, "1 + 2^-24 ties to even"],
  ["add", 1, RU, 0x3f800000n, 0x33800000n, 0x3f800001n, IXC, "toward +inf under FPCR.RMode"],
  ["add", 1, RZ, 0x3f800001n, 0x33800000n, 0x3f800001n, IXC, "toward zero under FPCR.RMode"],
  ["max", 1, 0, 0x80000000n, 0x00000000n, 0x00000000n, 0, "max(-0, +0) is +0"],
  ["min", 1, 0, 0x00000000n, 0x80000000n, 0x80000000n, 0, "min(+0, -0) is -0"],
  ["max", 1, 0, 0x7fc00000n, 0x3f800000n, 0x7fc00000n, 0, "fmax propagates a quiet NaN"],
  ["maxnm", 1, 0, 0x7fc00000n, 0x3f800000n, 0x3f800000n, 0, "fmaxnm prefers the number to a quiet NaN"],
  ["maxnm", 1, 0, 0x7f800001n, 0x3f800000n, 0x7fc00001n, IOC, "but not to a signalling NaN"],
  ["recpe", 1, 0, 0x3f800000n, 0n, 0x3f7f8000n, 0, "frecpe(1.0) = 511/512 (RecipEstimate table)"],
  ["recpe", 2, 0, 0x4000000000000000n, 0n, 0x3fdff00000000000n, 0, "frecpe(2.0) = 511/1024"],
  ["recpe", 1, 0, 0x00000000n, 0n, 0x7f800000n, 0x2, "frecpe(+0) = +inf, DZC"],
  ["rsqrte", 1, 0, 0x3f800000n, 0n, 0x3f7f8000n, 0, "frsqrte(1.0) = 511/512 (RecipSqrtEstimate table)"],
  ["rsqrte", 1, 0, 0x40800000n, 0n, 0x3eff8000n, 0, "frsqrte(4.0) = 511/1024"],
  ["rsqrte", 1, 0, 0xbf800000n, 0n, 0x7fc00000n, IOC, "frsqrte of a negative number: default NaN, IOC"],
  ["cvtzs32", 2, 0, 0x4415af1d78b58c40n, 0n, 0x7fffffffn, IOC, "1e20 saturates to INT32_MAX with IOC and no IXC"],
  ["cvtzs32", 2, 0, 0x7ff8000000000000n, 0n, 0n, IOC, "NaN converts to 0 with IOC"],
  ["cvtzu64", 2, 0, 0xbfe0000000000000n, 0n, 0n, IXC, "-0.5 rounds to 0 toward zero: in range, inexact"],
  ["tohalf", 1, 0, 0x477ff000n, 0n, 0x7c00n, OFC | IXC, "65520 overflows IEEE half to infinity"],
  ["tohalf", 1, AHP, 0x477ff000n, 0n, 0x7c00n, IXC, "but is 65536, a normal number, in the alternative format"],
  ["tohalf", 1, AHP, 0x7f800000n, 0n, 0x7fffn, IOC, "infinity becomes the largest alternative value with IOC"],
];

/** The driver's output lines, one per case, built by `compiler` and run by `runner` (none: natively). */
async function run(compiler: string, extra: string[], runner: string[]): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), "recomp-fp-helpers-"));
  try {
    await writeFile(join(dir, "driver.c"), driver);
    const exe = join(dir, "driver");
    const flags = ["-std=c99", "-O1", "-ffp-contract=off", "-frounding-math", ...extra];
    await execa(compiler, [...flags, `-I${core}`, "-o", exe, join(dir, "driver.c"), "-lm"]);
    const input = cases.map(([op, fmt, fpcr, a, b]) => `${op} ${fmt} ${fpcr.toString(16)} ${a.toString(16)} ${b.toString(16)}`).join("\n");
    const [command, ...args] = [...runner, exe];
    const { stdout } = await execa(command, args, { input: `${input}\n` });
    return stdout.trim().split("\n");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function wrongLines(lines: string[]): string[] {
  return cases
    .map(([op, , , a, b, result, flags, why], i) => ({ want: `${result.toString(16)} ${flags.toString(16)}`, got: lines[i], text: `${op} ${a.toString(16)} ${b.toString(16)}: ${why}` }))
    .filter(({ want, got }) => want !== got)
    .map(({ want, got, text }) => `${text}: got ${got}, want ${want}`);
}

describe("FP element helpers (runtime/core/a64)", () => {
  it.runIf(requireTools("cc"))("give the architecture's results and FPSR flags on the cases where hosts differ", async () => {
    expect(wrongLines(await run("cc", [], []))).toEqual([]);
  }, 60_000);

  it.runIf(requireTools("aarch64-linux-gnu-gcc", "qemu-aarch64"))("give the same on an AArch64 host (cross-built, run under qemu-aarch64)", async () => {
    expect(wrongLines(await run("aarch64-linux-gnu-gcc", ["-static"], ["qemu-aarch64"]))).toEqual([]);
  }, 60_000);
});
