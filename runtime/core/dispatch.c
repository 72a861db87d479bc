/* runtime/core: indirect control flow through the table of lifted functions, and fatal stops. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "program.h"

static const rt_function *find_function(uint64_t address) {
  unsigned lo = 0, hi = rt_function_count;
  while (lo < hi) {
    unsigned mid = lo + (hi - lo) / 2;
    if (rt_functions[mid].address == address) return &rt_functions[mid];
    if (rt_functions[mid].address < address) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

void rt_call_indirect(recomp_cpu *cpu, uint64_t target, uint64_t pc) {
  const rt_function *function = find_function(target);
  if (function == NULL) {
    fprintf(stderr, "fault: indirect branch to 0x%" PRIx64 ", which is not a lifted function (instruction at 0x%" PRIx64 ")\n", target, pc);
    exit(3);
  }
  function->fn(cpu);
}

RT_NORETURN void rt_bad_return(recomp_cpu *cpu, uint64_t expected, uint64_t pc) {
  fprintf(stderr, "fault: call at 0x%" PRIx64 " returned to 0x%" PRIx64 " instead of 0x%" PRIx64 "\n", pc, cpu->pc, expected);
  exit(3);
}

RT_NORETURN void rt_trap(const char *reason, uint64_t pc) {
  fprintf(stderr, "fault: %s (instruction at 0x%" PRIx64 ")\n", reason, pc);
  exit(3);
}

RT_NORETURN void rt_fault(const char *what, uint64_t address, uint64_t size, uint64_t pc) {
  fprintf(stderr, "fault: %s: %" PRIu64 " bytes at 0x%" PRIx64 " (instruction at 0x%" PRIx64 ")\n", what, size, address, pc);
  exit(3);
}
