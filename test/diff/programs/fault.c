/* A store into read-only data: the runtime must stop with the guest address and instruction. */
#include "linux.h"

static const u64 constant = 5;

__attribute__((noinline)) static void poke(volatile u64 *where) { *where = 7; }

void _start(void) {
  put_str("before\n");
  flush();
  poke((volatile u64 *)&constant);
  put_str("after\n");
  exit_with(0);
}
