/* A load from unmapped memory in the middle of a hot loop: the runtime must stop with that address and the load. */
#include "linux.h"

static u64 table[512];
/* Volatile, so the compiler cannot see the wild pointer coming and move the load out of the loop. */
static volatile u64 wild = 0x6000000000;

__attribute__((noinline)) static u64 walk(u64 count, u64 at) {
  const u64 *outside = (const u64 *)wild;
  u64 sum = 0;
  for (u64 i = 0; i < count; i++) {
    const u64 *p = i == at ? outside : &table[i & 511];
    sum += *p;
  }
  return sum;
}

void _start(void) {
  for (u64 i = 0; i < 512; i++) table[i] = i;
  put_str("before\n");
  flush();
  put_str(walk(1000000, 600000) != 0 ? "after\n" : "zero\n");
  exit_with(0);
}
