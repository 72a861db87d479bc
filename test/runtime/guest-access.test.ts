// runtime/core/memory.h's lifted loads and stores on the host (cc): the guest-space check inside each access's
// assembly reports an address at or above 2^39 with that address, the access's size and its guest pc, in a hot
// loop too; in-range faults still come from SIGSEGV. Q-register accesses (16 bytes) and accesses at addresses the
// compiler knows (no check inside the space, the check kept outside it) report theirs the same way, and so do a cold
// unit's checked calls (RT_COLD_UNIT at -O0, runtime/core/cold_access.c). (The AArch64 form is not run here: under qemu-aarch64 the
// 2^39-byte reservation alone takes about a minute.)
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireTools } from "../helpers/tools.js";

const core = join(import.meta.dirname, "..", "..", "runtime", "core");

// Maps 0x10000-0x11fff read-write and 0x20000 read-only, then does what argv says with the address argv[1].
const driver = `#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include "memory.h"
rt_region rt_regions[RT_REGION_COUNT];
RT_NORETURN void rt_fault(const char *what, uint64_t address, uint64_t size, uint64_t pc) {
  fprintf(stderr, "fault: %s: %" PRIu64 " bytes at 0x%" PRIx64 " (instruction at 0x%" PRIx64 ")\\n", what, size, address, pc);
  exit(3);
}
/* A hot loop whose load meets the wild address once, at iteration 5000. */
__attribute__((noinline)) static uint64_t walk(uint8_t *mem, uint64_t wild) {
  uint64_t sum = 0;
  for (uint64_t i = 0; i < 100000; i++) {
    sum += rt_guest_ld64(mem, i == 5000 ? wild : 0x10000 + (i & 63) * 8, 0x1234);
    rt_guest_st32(mem, 0x11000 + (i & 7) * 4, sum, 0x1238);
    rt_guest_st8(mem, 0x11004, sum + rt_guest_ld16(mem, 0x10002, 0x123c), 0x1240);
  }
  return sum;
}
int main(int argc, char **argv) {
  if (argc != 3 || rt_memory_init() != 0 || rt_map(0x10000, 0x2000, RT_READ | RT_WRITE) != 0 || rt_map(0x20000, 0x1000, RT_READ) != 0) return 1;
  uint8_t *mem = rt_guest_base;
  for (unsigned i = 0; i < 32; i++) rt_guest_st8(mem, 0x10000 + i, i * 7, 0x2ffc);
  uint64_t address = strtoull(argv[1], NULL, 0);
  switch (argv[2][0]) {
    case 'w': printf("%" PRIu64 "\\n", walk(mem, address)); break;
    case 'h': rt_guest_st16(mem, address, 7, 0x3000); break;
    case 'd': rt_guest_st64(mem, address, 7, 0x3004); break;
    case 'b': printf("%" PRIu64 "\\n", (uint64_t)rt_guest_ld8(mem, address, 0x3008)); break;
    case 'q': {
      uint8_t v[16], w[16];
      rt_guest_ld128(mem, address, v, 0x3010);
      rt_guest_st128(mem, address + 16, v, 0x3014);
      rt_guest_ld128(mem, address + 16, w, 0x3018);
      for (int i = 0; i < 16; i++) printf("%02x", v[i]);
      printf(" ");
      for (int i = 0; i < 16; i++) printf("%02x", w[i]);
      printf("\\n");
      break;
    }
    case 'k': rt_guest_st32(mem, 0x20004, 1, 0x301c); break;
    case 'K': printf("%" PRIu64 "\\n", (uint64_t)rt_guest_ld16(mem, 0x8000000000, 0x3020)); break;
  }
  return 0;
}
`;

const cases: [string, string, string][] = [
  ["0x8000000010", "w", "fault: read outside guest memory: 8 bytes at 0x8000000010 (instruction at 0x1234)"],
  ["0xfffffffffffffff8", "w", "fault: read outside guest memory: 8 bytes at 0xfffffffffffffff8 (instruction at 0x1234)"],
  ["0x6000000000", "w", "fault: read outside guest memory: 8 bytes at 0x6000000000 (instruction at 0x1234)"],
  ["0x8000000000", "h", "fault: write outside guest memory: 2 bytes at 0x8000000000 (instruction at 0x3000)"],
  ["0x7fffffffffff", "b", "fault: read outside guest memory: 1 bytes at 0x7fffffffffff (instruction at 0x3008)"],
  ["0x20000", "h", "fault: write to memory that is not writable: 2 bytes at 0x20000 (instruction at 0x3000)"],
  ["0x8000000000", "q", "fault: read outside guest memory: 16 bytes at 0x8000000000 (instruction at 0x3010)"],
  ["0x11ff8", "q", "fault: read outside guest memory: 16 bytes at 0x12000 (instruction at 0x3010)"],
  ["0x20000", "q", "fault: write to memory that is not writable: 16 bytes at 0x20010 (instruction at 0x3014)"],
  ["0", "k", "fault: write to memory that is not writable: 4 bytes at 0x20004 (instruction at 0x301c)"],
  ["0", "K", "fault: read outside guest memory: 2 bytes at 0x8000000000 (instruction at 0x3020)"],
];

// The default build, the opt-in that drops the check at addresses the compiler knows inside the space, and a cold unit.
const drivers: [string, string[]][] = [
  ["driver", []],
  ["driver-known", ["-DRT_GUEST_KNOWN_ADDRESSES=1"]],
  ["driver-cold", ["-O0", "-DRT_COLD_UNIT"]],
];

describe.runIf(requireTools("cc"))("lifted loads and stores (runtime/core/memory.h)", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "recomp-guest-access-"));
    await writeFile(join(dir, "driver.c"), driver);
    await writeFile(join(dir, "layout.h"), "#define RT_REGION_COUNT 1\n");
    for (const [name, flags] of drivers) {
      await execa("cc", ["-O2", "-std=c99", ...flags, `-I${dir}`, `-I${core}`, "-o", join(dir, name), join(dir, "driver.c"), join(core, "memory.c"), join(core, "cold_access.c")]);
    }
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(drivers.map(([name]) => name))("reports each fault with its guest address, size and pc (%s)", async (driver) => {
    for (const [address, kind, message] of cases) {
      const run = await execa(join(dir, driver), [address, kind], { reject: false });
      expect({ address, kind, stderr: run.stderr, exitCode: run.exitCode }).toEqual({ address, kind, stderr: message, exitCode: 3 });
    }
    const ok = await execa(join(dir, driver), ["0x10008", "w"], { reject: false });
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(/^\d+$/);
    // A Q register's 16 bytes at 0x10004 (byte i of the page is i * 7), stored at 0x10014 and read back.
    const bytes = Array.from({ length: 16 }, (_, i) => (((i + 4) * 7) & 0xff).toString(16).padStart(2, "0")).join("");
    const q = await execa(join(dir, driver), ["0x10004", "q"], { reject: false });
    expect({ stdout: q.stdout, exitCode: q.exitCode }).toEqual({ stdout: `${bytes} ${bytes}`, exitCode: 0 });
  });

  it("checks no address the compiler knows inside the guest space, and keeps the check outside it", async () => {
    const source = `#include "memory.h"
void inside(uint8_t *mem) { rt_guest_st32(mem, 0x10040, 1, 0x10); rt_guest_ld128(mem, 0x10050, mem, 0x14); }
void outside(uint8_t *mem) { rt_guest_st32(mem, 0x8000000000, 1, 0x18); }
void unknown(uint8_t *mem, uint64_t a) { rt_guest_st32(mem, a, 1, 0x1c); }
`;
    await writeFile(join(dir, "known.c"), source);
    const { stdout } = await execa("cc", ["-O2", "-std=c99", "-DRT_GUEST_KNOWN_ADDRESSES=1", `-I${dir}`, `-I${core}`, "-S", "-o", "-", join(dir, "known.c")]);
    // The check is assembled only under ".if 0 == 0": the constant outside and the unknown address.
    expect(stdout.match(/\.if 1 == 0/g)?.length).toBe(2);
    expect(stdout.match(/\.if 0 == 0/g)?.length).toBe(2);
  });
});
