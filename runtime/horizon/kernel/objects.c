/*
 * runtime/horizon/kernel: events, shared memory and transfer memory. Shared memory is a memfd:
 * the service writes its own mapping, and MapSharedMemory maps the same pages into the guest
 * space, so the guest sees every write without copies (as on the console).
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kernel/kernel.h"
#include "kernel/scheduler.h"
#include "memory.h"

static void *allocate(size_t size) {
  void *p = calloc(1, size);
  if (p == NULL) hos_fault(0, "host out of memory");
  return p;
}

hos_event *hos_event_of(hos_kobject *side) {
  return side->kind == HOS_KIND_READABLE_EVENT ? (hos_event *)((char *)side - offsetof(hos_event, readable))
                                               : (hos_event *)((char *)side - offsetof(hos_event, writable));
}

/* The event lives while either side is referenced. */
static void destroy_event_side(hos_kobject *side) {
  hos_event *event = hos_event_of(side);
  if (event->readable.references == 0 && event->writable.references == 0) free(event);
}

hos_event *hos_event_create(const char *name) {
  hos_event *event = allocate(sizeof *event);
  event->readable = (hos_kobject){HOS_KIND_READABLE_EVENT, 1, destroy_event_side};
  event->writable = (hos_kobject){HOS_KIND_WRITABLE_EVENT, 1, destroy_event_side};
  event->name = name;
  return event;
}

void hos_event_signal(hos_event *event) {
  event->signaled = 1;
  hos_wake_object_waiters();
}
void hos_event_clear(hos_event *event) { event->signaled = 0; }
uint32_t hos_event_readable_handle(hos_event *event) { return hos_handle_create(&event->readable); }

static void destroy_shared_memory(hos_kobject *object) {
  hos_shared_memory *memory = (hos_shared_memory *)object;
  munmap(memory->host, (size_t)memory->size);
  close(memory->fd);
  free(memory);
}

hos_shared_memory *hos_shared_memory_create(uint64_t size, uint32_t guest_permissions) {
  hos_shared_memory *memory = allocate(sizeof *memory);
  memory->object = (hos_kobject){HOS_KIND_SHARED_MEMORY, 0, destroy_shared_memory};
  memory->size = size;
  memory->guest_permissions = guest_permissions;
  memory->fd = memfd_create("recomp-shared-memory", MFD_CLOEXEC);
  if (memory->fd < 0 || ftruncate(memory->fd, (off_t)size) != 0) hos_fault(0, "cannot create shared memory of 0x%llx bytes", (unsigned long long)size);
  memory->host = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, memory->fd, 0);
  if (memory->host == MAP_FAILED) hos_fault(0, "cannot map shared memory of 0x%llx bytes", (unsigned long long)size);
  return memory;
}

hos_result hos_shared_memory_map(hos_shared_memory *memory, uint64_t address, uint64_t size, uint32_t permissions) {
  if (address % RT_PAGE_SIZE != 0 || size != memory->size) return KERN_INVALID_SIZE;
  if ((permissions & ~memory->guest_permissions) != 0) return KERN_INVALID_NEW_MEMORY_PERMISSION;
  if (!hos_memory_is(address, size, HOS_MEM_UNMAPPED)) return KERN_INVALID_CURRENT_MEMORY;
  if (rt_map_file(address, size, memory->fd, 0) != 0) return KERN_INVALID_MEMORY_REGION;
  hos_kobject_retain(&memory->object); /* the mapping holds the object */
  return hos_memory_set(address, size, HOS_MEM_SHARED, permissions, 0);
}

hos_result hos_shared_memory_unmap(hos_shared_memory *memory, uint64_t address, uint64_t size) {
  if (size != memory->size || !hos_memory_is(address, size, HOS_MEM_SHARED)) return KERN_INVALID_CURRENT_MEMORY;
  hos_result result = hos_memory_set(address, size, HOS_MEM_UNMAPPED, 0, 0);
  if (result == HOS_SUCCESS) hos_kobject_release(&memory->object);
  return result;
}

/* The guest gets its memory back when the last holder (its handle, a service) lets go. */
static void destroy_transfer_memory(hos_kobject *object) {
  hos_transfer_memory *memory = (hos_transfer_memory *)object;
  hos_memory_protect(memory->address, memory->size, memory->saved_permissions, 0);
  free(memory);
}

hos_result hos_transfer_memory_create(uint64_t address, uint64_t size, uint32_t permissions, uint32_t *handle) {
  if (address % RT_PAGE_SIZE != 0 || size % RT_PAGE_SIZE != 0 || size == 0) return KERN_INVALID_SIZE;
  if (permissions != 0 && permissions != HOS_PERM_R && permissions != (HOS_PERM_R | HOS_PERM_W)) return KERN_INVALID_NEW_MEMORY_PERMISSION;
  hos_memory_info info = hos_memory_query(address);
  if (info.type != HOS_MEM_HEAP || address + size > info.base + info.size) return KERN_INVALID_CURRENT_MEMORY;
  hos_transfer_memory *memory = allocate(sizeof *memory);
  memory->object = (hos_kobject){HOS_KIND_TRANSFER_MEMORY, 0, destroy_transfer_memory};
  memory->address = address;
  memory->size = size;
  memory->permissions = permissions;
  memory->saved_permissions = info.permissions;
  *handle = hos_handle_create(&memory->object);
  if (*handle == 0) {
    free(memory);
    return KERN_OUT_OF_HANDLES;
  }
  hos_memory_protect(address, size, permissions, 0);
  return HOS_SUCCESS;
}
