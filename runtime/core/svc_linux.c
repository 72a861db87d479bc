/*
 * runtime/core: a minimal Linux personality for the differential tests only (docs/runtime-core.md):
 * `svc #0` with the syscall number in x8; write (64) to fd 1/2, exit (93) and exit_group (94).
 * Anything else is a fault. The counter is a constant so runs stay deterministic.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "program.h"

int rt_personality_init(int argc, char **argv) {
  (void)argv;
  return argc > 1 ? 2 : 0;
}

uint64_t rt_counter(void) { return 0; }
uint64_t rt_counter_frequency(void) { return 1000000000; }

/* sp at the top of the stack region; the entry returning exits with w0's low byte, like exit(). */
int rt_personality_run(void) {
  static recomp_cpu cpu;
  cpu.sp = rt_stack_top;
  rt_entry(&cpu);
  fflush(stdout);
  return (int)(cpu.x[0] & 0xff);
}

void rt_svc(recomp_cpu *cpu, uint32_t imm, uint64_t pc) {
  uint64_t number = cpu->x[8];
  if (imm == 0 && number == 64 && (cpu->x[0] == 1 || cpu->x[0] == 2)) {
    uint64_t size = cpu->x[2];
    const uint8_t *bytes = size == 0 ? NULL : rt_host(cpu->x[1], size, RT_READ, pc);
    if (size != 0) fwrite(bytes, 1, (size_t)size, cpu->x[0] == 1 ? stdout : stderr);
    cpu->x[0] = size;
    return;
  }
  if (imm == 0 && (number == 93 || number == 94)) {
    fflush(stdout);
    exit((int)(cpu->x[0] & 0xff));
  }
  fprintf(stderr, "fault: unsupported Linux syscall %" PRIu64 " via svc #0x%" PRIx32 " (instruction at 0x%" PRIx64 ")\n", number, imm, pc);
  exit(3);
}
