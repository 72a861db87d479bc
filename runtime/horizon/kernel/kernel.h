/*
 * runtime/horizon/kernel: the Horizon kernel as one process sees it: its address-space layout,
 * the memory-state map that QueryMemory reports, events, shared and transfer memory, and the
 * svc dispatcher. Everything runs on one host thread; nothing here reads the wall clock.
 */
#ifndef HOS_KERNEL_H
#define HOS_KERNEL_H

#include <stdint.h>

#include "cpu.h"
#include "kernel/handles.h"
#include "kernel/result.h"

/*
 * The 39-bit address space of a 64-bit application, at fixed addresses (Horizon randomises them;
 * a run must be a pure function of its inputs). The module itself lies where title.toml maps it.
 */
#define HOS_ASLR_BASE UINT64_C(0x0008000000)
#define HOS_ASLR_SIZE (UINT64_C(0x8000000000) - HOS_ASLR_BASE)
#define HOS_ALIAS_BASE UINT64_C(0x1000000000)
#define HOS_ALIAS_SIZE UINT64_C(0x1000000000)
#define HOS_HEAP_BASE UINT64_C(0x2000000000)
#define HOS_HEAP_REGION_SIZE UINT64_C(0x180000000)
#define HOS_STACK_REGION_BASE UINT64_C(0x3000000000)
#define HOS_STACK_REGION_SIZE UINT64_C(0x80000000)
/* Memory the process may use (TotalMemorySize): 3.25 GiB, what an application gets on a retail console. */
#define HOS_TOTAL_MEMORY UINT64_C(0xD0000000)

/* svc memory permissions (Perm_R 1, Perm_W 2, Perm_X 4) and MemoryInfo attributes. */
#define HOS_PERM_R 1u
#define HOS_PERM_W 2u
#define HOS_PERM_X 4u
#define HOS_ATTR_PERMISSION_LOCKED 0x10u

/* MemoryType values QueryMemory reports. */
enum {
  HOS_MEM_UNMAPPED = 0x00,
  HOS_MEM_CODE_STATIC = 0x03,
  HOS_MEM_CODE_MUTABLE = 0x04,
  HOS_MEM_HEAP = 0x05,
  HOS_MEM_SHARED = 0x06,
  HOS_MEM_ALIAS_CODE = 0x07,
  HOS_MEM_STACK = 0x0B,
  HOS_MEM_THREAD_LOCAL = 0x0C,
  HOS_MEM_TRANSFER = 0x0E,
  HOS_MEM_RESERVED = 0x10,
};

typedef struct hos_memory_info {
  uint64_t base, size;
  uint32_t type, attributes, permissions;
} hos_memory_info;

/* The memory-state map: [base, base + size) gets a state; the host pages are mapped or unmapped to match. */
hos_result hos_memory_set(uint64_t base, uint64_t size, uint32_t type, uint32_t permissions, uint32_t attributes);
hos_memory_info hos_memory_query(uint64_t address);
/* 1 when every page of the range has `type` (and permissions/attributes when `mask_*` select them). */
int hos_memory_is(uint64_t base, uint64_t size, uint32_t type);
/* Changes permissions (and attributes) of a range without touching its contents. */
void hos_memory_protect(uint64_t base, uint64_t size, uint32_t permissions, uint32_t attributes);

/* The heap (SetHeapSize): grows and shrinks at HOS_HEAP_BASE. */
hos_result hos_heap_set_size(uint64_t size, uint64_t *address);
uint64_t hos_heap_size(void);

/* Events: a readable and a writable handle share one hos_event. */
typedef struct hos_event {
  hos_kobject readable, writable;
  int signaled;
  const char *name; /* who owns it, for deadlock messages */
} hos_event;

hos_event *hos_event_create(const char *name);
void hos_event_signal(hos_event *event);
void hos_event_clear(hos_event *event);
/* The event of either side (an object of kind HOS_KIND_READABLE_EVENT or HOS_KIND_WRITABLE_EVENT). */
hos_event *hos_event_of(hos_kobject *side);
/* A new handle to the readable side (what services hand out with a copy handle). */
uint32_t hos_event_readable_handle(hos_event *event);

/* Shared memory: one host file (memfd) the service writes and the guest maps (MapSharedMemory). */
typedef struct hos_shared_memory {
  hos_kobject object;
  int fd;
  uint8_t *host; /* the service's view */
  uint64_t size;
  uint32_t guest_permissions;
} hos_shared_memory;

hos_shared_memory *hos_shared_memory_create(uint64_t size, uint32_t guest_permissions);
hos_result hos_shared_memory_map(hos_shared_memory *memory, uint64_t address, uint64_t size, uint32_t permissions);
hos_result hos_shared_memory_unmap(hos_shared_memory *memory, uint64_t address, uint64_t size);

/* Transfer memory: guest memory lent to a service; the guest's permissions change while it exists. */
typedef struct hos_transfer_memory {
  hos_kobject object;
  uint64_t address, size;
  uint32_t permissions, saved_permissions;
} hos_transfer_memory;

hos_result hos_transfer_memory_create(uint64_t address, uint64_t size, uint32_t permissions, uint32_t *handle);

/* The svc dispatcher (rt_svc of the personality) and the kernel's start. */
void hos_kernel_init(void);
/* Stops the run: "fault: <message> (instruction at 0x<pc>)", capture flushed, exit status 3. */
RT_NORETURN void hos_fault(uint64_t pc, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* Virtual time: the tick counter (19.2 MHz) from the presented frames, and the nanoseconds slept. */
uint64_t hos_system_tick(void);

#endif
