/*
 * runtime/horizon/loader: the horizon personality's process start (rt_personality_*): services
 * options, the kernel's memory states for the title's regions, the homebrew loader ABI, then the
 * module's entry.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel.h"
#include "kernel/scheduler.h"
#include "loader/loader.h"
#include "memory.h"
#include "program.h"
#include "services.h"
#include "services/registry.h"

static void finish_at_exit(void) { recomp_services_finish(); }

int rt_personality_init(int argc, char **argv) {
  int status = recomp_services_init(argc, argv);
  if (status == 0) atexit(finish_at_exit); /* faults exit(3) with the capture and replay log flushed */
  return status;
}

uint64_t rt_counter(void) { return hos_system_tick(); }
uint64_t rt_counter_frequency(void) { return RECOMP_TICK_FREQUENCY; }

static uint32_t horizon_permissions(unsigned permissions) {
  return (permissions & RT_READ ? HOS_PERM_R : 0) | (permissions & RT_WRITE ? HOS_PERM_W : 0) | (permissions & RT_EXECUTE ? HOS_PERM_X : 0);
}

/* The title's regions as Horizon reports them: code static, writable data code-mutable, the stack region a stack. */
static void register_regions(void) {
  for (unsigned i = 0; i < RT_REGION_COUNT; i++) {
    uint64_t base = rt_regions[i].base & ~(RT_PAGE_SIZE - 1);
    uint64_t end = (rt_regions[i].base + rt_regions[i].size + RT_PAGE_SIZE - 1) & ~(RT_PAGE_SIZE - 1);
    unsigned permissions = rt_regions[i].permissions;
    uint32_t type = strcmp(rt_regions[i].name, "stack") == 0 ? HOS_MEM_STACK : permissions & RT_WRITE ? HOS_MEM_CODE_MUTABLE : HOS_MEM_CODE_STATIC;
    if (hos_memory_set(base, end - base, type, horizon_permissions(permissions), 0) != HOS_SUCCESS) {
      hos_fault(0, "region %s cannot be mapped", rt_regions[i].name);
    }
  }
}

static void put_u64(uint8_t *at, uint64_t value) {
  for (int i = 0; i < 8; i++) at[i] = (uint8_t)(value >> (8 * i));
}

/* One ConfigEntry {u32 Key, u32 Flags, u64 Value[2]}; returns the next slot. */
static uint8_t *put_entry(uint8_t *at, uint32_t key, uint64_t value0, uint64_t value1) {
  put_u64(at, key); /* Key, then Flags = 0 */
  put_u64(at + 8, value0);
  put_u64(at + 16, value1);
  return at + 24;
}

void hos_loader_prepare(recomp_cpu *cpu, uint64_t stack_top) {
  register_regions();
  uint64_t heap = 0;
  if (hos_memory_set(HOS_TLS_PAGE, RT_PAGE_SIZE, HOS_MEM_THREAD_LOCAL, HOS_PERM_R | HOS_PERM_W, 0) != HOS_SUCCESS ||
      hos_memory_set(HOS_LOADER_PAGE, RT_PAGE_SIZE, HOS_MEM_CODE_MUTABLE, HOS_PERM_R | HOS_PERM_W, 0) != HOS_SUCCESS ||
      hos_heap_set_size(HOS_LOADER_HEAP_SIZE, &heap) != HOS_SUCCESS) {
    hos_fault(0, "the loader cannot map TLS, its page or the heap");
  }
  hos_thread *thread = hos_main_thread();
  uint32_t main_thread = hos_handle_create(&thread->object);
  thread->cpu = cpu;
  thread->tag = main_thread;
  uint8_t *page = rt_guest_base + HOS_LOADER_PAGE;
  uint64_t argv = HOS_LOADER_PAGE + 0x800;
  memcpy(page + 0x800, HOS_LOADER_ARGV, sizeof HOS_LOADER_ARGV);
  uint8_t *at = page;
  at = put_entry(at, HOS_ENTRY_MAIN_THREAD_HANDLE, main_thread, 0);
  at = put_entry(at, HOS_ENTRY_APPLET_TYPE, 0 /* AppletType_Application */, 0);
  at = put_entry(at, HOS_ENTRY_OVERRIDE_HEAP, heap, HOS_LOADER_HEAP_SIZE);
  at = put_entry(at, HOS_ENTRY_ARGV, 0, argv);
  at = put_entry(at, HOS_ENTRY_HOS_VERSION, HOS_FIRMWARE_MAJOR << 16 | HOS_FIRMWARE_MINOR << 8 | HOS_FIRMWARE_MICRO, 0);
  at = put_entry(at, HOS_ENTRY_RANDOM_SEED, 0x243F6A8885A308D3ull, 0x13198A2E03707344ull); /* fixed: runs are reproducible */
  put_entry(at, HOS_ENTRY_END_OF_LIST, 0, 0);
  memset(cpu, 0, sizeof *cpu);
  cpu->x[0] = HOS_LOADER_PAGE;
  cpu->x[1] = UINT64_MAX;
  cpu->x[30] = HOS_LOADER_RETURN;
  cpu->sp = stack_top;
  cpu->tpidrro_el0 = HOS_TLS_PAGE;
}

/* The entry returning (to x30, the loader) ends the process like svcExitProcess. */
/* libnx's __nx_exit ends with a branch to the loader's return address: the process ends there. */
static void loader_return(recomp_cpu *cpu, uint64_t target) {
  (void)cpu;
  if (target == HOS_LOADER_RETURN) recomp_exit_process();
}

int rt_personality_run(void) {
  static recomp_cpu cpu;
  hos_loader_prepare(&cpu, rt_stack_top);
  rt_unlifted_branch = loader_return;
  rt_fp_guest_enter(&cpu);
  rt_entry(&cpu);
  /*
   * libnx's crt0 enters main with a tail branch and x30 = exit, so main's return unwinds the entry's C
   * frame too: go on where the guest returned (exit, then libnx's teardown), as the CPU does.
   */
  while (cpu.pc != HOS_LOADER_RETURN) rt_call_indirect(&cpu, cpu.pc, cpu.pc);
  recomp_exit_process();
}
