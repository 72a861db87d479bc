/*
 * runtime/core: how a run stops on a fault (the recompiled build and the emulated reference print the
 * same lines), and the personality's say over a branch to an address with no lifted function.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "memory.h"
#include "program.h"

void (*rt_unlifted_branch)(recomp_cpu *cpu, uint64_t target);

RT_NORETURN void rt_trap(const char *reason, uint64_t pc) {
  fprintf(stderr, "fault: %s (instruction at 0x%" PRIx64 ")\n", reason, pc);
  exit(3);
}

RT_NORETURN void rt_fault(const char *what, uint64_t address, uint64_t size, uint64_t pc) {
  fprintf(stderr, "fault: %s: %" PRIu64 " bytes at 0x%" PRIx64 " (instruction at 0x%" PRIx64 ")\n", what, size, address, pc);
  exit(3);
}
