/*
 * runtime/core: a minimal Linux personality for the differential tests only (docs/runtime-core.md):
 * the process's arguments on the initial stack as Linux lays them out (argc, argv[], envp[], auxv),
 * `svc #0` with the syscall number in x8; write (64) to fd 1/2, exit (93) and exit_group (94).
 * Anything else is a fault. The counter is a constant so runs stay deterministic.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program.h"

enum { linux_at_null = 0, linux_at_pagesz = 6, linux_page_size = 4096 };

static int guest_argc;
static char **guest_argv;

int rt_personality_init(int argc, char **argv) {
  guest_argc = argc;
  guest_argv = argv;
  return 0;
}

static uint64_t push_bytes(recomp_cpu *cpu, const void *bytes, uint64_t size) {
  cpu->sp -= size;
  memcpy(rt_host(cpu->sp, size, RT_WRITE, 0), bytes, (size_t)size);
  return cpu->sp;
}

/* sp -> argc, argv[0..argc-1], NULL, (no environment) NULL, AT_PAGESZ, AT_NULL; strings above. */
static void push_initial_stack(recomp_cpu *cpu) {
  uint64_t *strings = calloc((size_t)guest_argc + 1, sizeof *strings);
  if (strings == NULL) {
    fprintf(stderr, "cannot allocate the guest's arguments\n");
    exit(3);
  }
  for (int i = guest_argc - 1; i >= 0; i--) strings[i] = push_bytes(cpu, guest_argv[i], strlen(guest_argv[i]) + 1);
  uint64_t words = (uint64_t)guest_argc + 7;
  cpu->sp = (cpu->sp - words * 8) & ~(uint64_t)15;
  uint64_t at = cpu->sp;
  uint64_t tail[] = {0, 0, linux_at_pagesz, linux_page_size, linux_at_null, 0};
  rt_st64(at, (uint64_t)guest_argc, 0);
  for (int i = 0; i < guest_argc; i++) rt_st64(at + 8 + 8 * (uint64_t)i, strings[i], 0);
  for (unsigned i = 0; i < sizeof tail / sizeof tail[0]; i++) rt_st64(at + 8 * ((uint64_t)guest_argc + 1 + i), tail[i], 0);
  free(strings);
}

uint64_t rt_counter(void) { return 0; }
uint64_t rt_counter_frequency(void) { return 1000000000; }

/* sp at the top of the stack region; the entry returning exits with w0's low byte, like exit(). */
int rt_personality_run(void) {
  static recomp_cpu cpu;
  cpu.sp = rt_stack_top;
  push_initial_stack(&cpu);
  rt_fp_guest_enter(&cpu);
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
