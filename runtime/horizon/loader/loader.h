/*
 * runtime/horizon/loader: libnx's homebrew loader contract (its runtime/env.c): the config entry
 * list in x0, x1 = -1, the return address in x30, TLS at tpidrro_el0, and the process's memory
 * (module, heap, stack, TLS) at fixed, realistic addresses. The module relocates itself.
 */
#ifndef HOS_LOADER_H
#define HOS_LOADER_H

#include <stdint.h>

#include "cpu.h"

/* The loader's page (config entries, argv) and the TLS page, in the ASLR region above the module. */
#define HOS_LOADER_PAGE UINT64_C(0x0040000000)
#define HOS_TLS_PAGE UINT64_C(0x0040008000)
#define HOS_TLS_SIZE 0x200u
/* Where the entry returns to when the program exits through the loader (libnx __libnx_exit). */
#define HOS_LOADER_RETURN (HOS_LOADER_PAGE + 0xFF0)
/* The heap the OverrideHeap entry hands over (libnx then never calls SetHeapSize). */
#define HOS_LOADER_HEAP_SIZE UINT64_C(0x20000000)
/* argv the Argv entry passes: the title's NRO where fsp-srv's sdmc shows it. */
#define HOS_LOADER_ARGV "sdmc:/switch/title.nro"

/* Config entry keys (libnx env.h EntryType_*). */
enum {
  HOS_ENTRY_END_OF_LIST = 0,
  HOS_ENTRY_MAIN_THREAD_HANDLE = 1,
  HOS_ENTRY_OVERRIDE_HEAP = 3,
  HOS_ENTRY_ARGV = 5,
  HOS_ENTRY_APPLET_TYPE = 7,
  HOS_ENTRY_RANDOM_SEED = 14,
  HOS_ENTRY_HOS_VERSION = 16,
};

/* Maps TLS, heap and the loader page, writes the config entries and sets the registers. */
void hos_loader_prepare(recomp_cpu *cpu, uint64_t stack_top);

#endif
