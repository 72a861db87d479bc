// runtime/core/cpu.h against a BigInt model of the A64 pseudocode: flags of 32/64-bit add/sub with carry,
// signed division edge cases, multiply-high, count-leading-sign/zero-bits, bit and byte reversal, set-bit count,
// arithmetic shift.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { requireTools } from "../helpers/tools.js";

const core = join(import.meta.dirname, "..", "..", "runtime", "core");

const driver = `#include <stdio.h>
#include <inttypes.h>
#include "cpu.h"
int main(void) {
  char op[16]; uint64_t a, b, c;
  rt_nzcv flags = {0};
  while (scanf("%15s %" SCNx64 " %" SCNx64 " %" SCNx64, op, &a, &b, &c) == 4) {
    uint64_t r = 0;
    if (op[0] == 'A') r = rt_addc64(&flags, a, b, c);
    else if (op[0] == 'a') r = rt_addc32(&flags, a, b, c);
    else if (op[0] == 'D') r = rt_sdiv64(a, b);
    else if (op[0] == 'd') r = rt_sdiv32(a, b);
    else if (op[0] == 'H') r = rt_smulh(a, b);
    else if (op[0] == 'L') r = rt_cls64(a);
    else if (op[0] == 'l') r = rt_cls32(a);
    else if (op[0] == 'r') r = rt_asr32(a, (unsigned)(b & 31));
    else if (op[0] == 'Z') r = rt_clz64(a);
    else if (op[0] == 'z') r = rt_clz32(a);
    else if (op[0] == 'B') r = rt_rbit64(a);
    else if (op[0] == 'b') r = rt_rbit32(a);
    else if (op[0] == 'V') r = rt_rev64(a);
    else if (op[0] == 'P') r = rt_popcount64(a);
    printf("%" PRIx64 " %u%u%u%u\\n", r, flags.n, flags.z, flags.c, flags.v);
  }
  return 0;
}
`;

const M64 = (1n << 64n) - 1n;
const signed = (v: bigint, bits: number): bigint => BigInt.asIntN(bits, v);

/** AddWithCarry of the architecture on `bits`-bit operands. */
function addWithCarry(a: bigint, b: bigint, carry: bigint, bits: number): [bigint, string] {
  const mask = (1n << BigInt(bits)) - 1n;
  const [x, y] = [a & mask, b & mask];
  const unsignedSum = x + y + carry;
  const signedSum = signed(x, bits) + signed(y, bits) + carry;
  const r = unsignedSum & mask;
  const n = r >> BigInt(bits - 1);
  const z = r === 0n ? 1 : 0;
  const c = unsignedSum === r ? 0 : 1;
  const v = signed(r, bits) === signedSum ? 0 : 1;
  return [r, `${n}${z}${c}${v}`];
}

function sdiv(a: bigint, b: bigint, bits: number): bigint {
  const [x, y] = [signed(a, bits), signed(b, bits)];
  if (y === 0n) return 0n;
  return BigInt.asUintN(bits, x / y);
}

function cls(a: bigint, bits: number): bigint {
  const x = BigInt.asUintN(bits, a);
  const top = x >> BigInt(bits - 1);
  let count = 0n;
  for (let i = bits - 2; i >= 0 && ((x >> BigInt(i)) & 1n) === top; i--) count++;
  return count;
}

/** Bit i of the result is bit bits-1-i of a (rbit), or byte i is byte 7-i (rev, `step` 8). */
function reverse(a: bigint, bits: number, step = 1): bigint {
  let r = 0n;
  const mask = (1n << BigInt(step)) - 1n;
  for (let i = 0; i < bits; i += step) r |= ((a >> BigInt(i)) & mask) << BigInt(bits - step - i);
  return r;
}
const clz = (a: bigint, bits: number): bigint => BigInt(bits - (a === 0n ? 0 : BigInt.asUintN(bits, a).toString(2).length));
const popcount = (a: bigint): bigint => BigInt([...a.toString(2)].filter((bit) => bit === "1").length);

const edge = fc.constantFrom(0n, 1n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x7fffffffffffffffn, 0x8000000000000000n, M64);
const word = fc.oneof(edge, fc.bigInt({ min: 0n, max: M64 }));

describe.runIf(requireTools("cc"))("runtime/core/cpu.h semantics", () => {
  it("matches the architecture's pseudocode on random and edge operands", async () => {
    const dir = await mkdtemp(join(tmpdir(), "recomp-cpu-"));
    try {
      await writeFile(join(dir, "driver.c"), driver);
      await execa("cc", ["-O1", "-std=c99", `-I${core}`, "-o", join(dir, "driver"), join(dir, "driver.c")]);
      const cases = fc.sample(fc.tuple(word, word, fc.constantFrom(0n, 1n)), { seed: 11, numRuns: 300 });
      const lines: string[] = [];
      const expected: string[] = [];
      for (const [a, b, carry] of cases) {
        const add64 = addWithCarry(a, b, carry, 64);
        const sub32 = addWithCarry(a, ~b & M64, 1n, 32);
        lines.push(`A ${a.toString(16)} ${b.toString(16)} ${carry}`, `a ${a.toString(16)} ${(~b & M64).toString(16)} 1`);
        expected.push(`${add64[0].toString(16)} ${add64[1]}`, `${sub32[0].toString(16)} ${sub32[1]}`);
        const flags = sub32[1];
        const pure = (op: string, value: bigint, x = a, y = b): void => {
          lines.push(`${op} ${x.toString(16)} ${y.toString(16)} 0`);
          expected.push(`${value.toString(16)} ${flags}`);
        };
        pure("D", sdiv(a, b, 64));
        pure("d", sdiv(a, b, 32));
        pure("H", BigInt.asUintN(64, (signed(a, 64) * signed(b, 64)) >> 64n));
        pure("L", cls(a, 64));
        pure("l", cls(a, 32));
        pure("r", BigInt.asUintN(32, signed(a & 0xffffffffn, 32) >> (b & 31n)));
        pure("Z", clz(a, 64));
        pure("z", clz(a & 0xffffffffn, 32));
        pure("B", reverse(a, 64));
        pure("b", reverse(a & 0xffffffffn, 32));
        pure("V", reverse(a, 64, 8));
        pure("P", popcount(a));
      }
      const { stdout } = await execa(join(dir, "driver"), { input: `${lines.join("\n")}\n` });
      const got = stdout.split("\n");
      const mismatches = expected.map((line, i) => (got[i] === line ? undefined : `${lines[i]}: got ${got[i]} expected ${line}`)).filter((x) => x);
      expect(mismatches).toEqual([]);
      expect(got.length).toBe(expected.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
