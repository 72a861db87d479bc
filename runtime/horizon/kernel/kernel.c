/* runtime/horizon/kernel: faults and virtual time (kernel.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/kernel.h"
#include "services.h"

RT_NORETURN void hos_fault(uint64_t pc, const char *format, ...) {
  va_list arguments;
  va_start(arguments, format);
  fputs("fault: ", stderr);
  vfprintf(stderr, format, arguments);
  va_end(arguments);
  fprintf(stderr, " (instruction at 0x%llx)\n", (unsigned long long)pc);
  recomp_services_finish(); /* frames so far and the replay log stay readable */
  exit(3);
}

uint64_t hos_system_tick(void) { return recomp_get_system_tick(); }
