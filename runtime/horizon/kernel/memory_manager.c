/*
 * runtime/horizon/kernel: the memory-state map (QueryMemory's view: type, permissions and
 * attributes per range) over the core's reserved guest space, and the heap. Blocks are kept
 * sorted and cover the whole space; neighbours in the same state are merged so QueryMemory
 * reports whole mappings, as Horizon does.
 */
#include <string.h>

#include "kernel/kernel.h"
#include "memory.h"

#define MAX_BLOCKS 4096

static hos_memory_info blocks[MAX_BLOCKS] = {{0, RT_GUEST_SPACE_SIZE, HOS_MEM_UNMAPPED, 0, 0}};
static unsigned block_count = 1;
static uint64_t heap_size;

static unsigned host_permissions(uint32_t permissions) {
  return (permissions & HOS_PERM_R ? RT_READ : 0) | (permissions & HOS_PERM_W ? RT_WRITE : 0) | (permissions & HOS_PERM_X ? RT_EXECUTE : 0);
}

static unsigned find_block(uint64_t address) {
  unsigned lo = 0, hi = block_count;
  while (hi - lo > 1) {
    unsigned mid = (lo + hi) / 2;
    if (blocks[mid].base <= address) lo = mid;
    else hi = mid;
  }
  return lo;
}

/* Splits so that a block starts at `address` (when inside the space). */
static void split_at(uint64_t address) {
  if (address >= RT_GUEST_SPACE_SIZE) return;
  unsigned i = find_block(address);
  if (blocks[i].base == address) return;
  if (block_count == MAX_BLOCKS) hos_fault(0, "memory-state map full (%u blocks)", MAX_BLOCKS);
  memmove(&blocks[i + 2], &blocks[i + 1], (block_count - i - 1) * sizeof blocks[0]);
  blocks[i + 1] = blocks[i];
  blocks[i + 1].base = address;
  blocks[i + 1].size = blocks[i].base + blocks[i].size - address;
  blocks[i].size = address - blocks[i].base;
  block_count++;
}

static int same_state(const hos_memory_info *a, const hos_memory_info *b) {
  return a->type == b->type && a->permissions == b->permissions && a->attributes == b->attributes;
}

static void merge(void) {
  unsigned out = 0;
  for (unsigned i = 1; i < block_count; i++) {
    if (same_state(&blocks[out], &blocks[i])) blocks[out].size += blocks[i].size;
    else blocks[++out] = blocks[i];
  }
  block_count = out + 1;
}

static void set_state(uint64_t base, uint64_t size, uint32_t type, uint32_t permissions, uint32_t attributes) {
  split_at(base);
  split_at(base + size);
  for (unsigned i = find_block(base); i < block_count && blocks[i].base < base + size; i++) {
    blocks[i].type = type;
    blocks[i].permissions = permissions;
    blocks[i].attributes = attributes;
  }
  merge();
}

hos_result hos_memory_set(uint64_t base, uint64_t size, uint32_t type, uint32_t permissions, uint32_t attributes) {
  if (base % RT_PAGE_SIZE != 0 || size % RT_PAGE_SIZE != 0 || size == 0) return KERN_INVALID_SIZE;
  if (base >= RT_GUEST_SPACE_SIZE || size > RT_GUEST_SPACE_SIZE - base) return KERN_INVALID_MEMORY_REGION;
  int ok = type == HOS_MEM_UNMAPPED ? rt_unmap(base, size) == 0
                                    : rt_map_keep(base, size, 0) == 0 && rt_protect(base, size, host_permissions(permissions)) == 0;
  if (!ok) return KERN_OUT_OF_MEMORY;
  set_state(base, size, type, permissions, attributes);
  return HOS_SUCCESS;
}

void hos_memory_protect(uint64_t base, uint64_t size, uint32_t permissions, uint32_t attributes) {
  uint32_t type = hos_memory_query(base).type;
  rt_protect(base, size, host_permissions(permissions));
  set_state(base, size, type, permissions, attributes);
}

hos_memory_info hos_memory_query(uint64_t address) {
  if (address >= RT_GUEST_SPACE_SIZE) {
    /* Beyond the address space: one inaccessible block up to the end of 64-bit addresses. */
    return (hos_memory_info){RT_GUEST_SPACE_SIZE, 0 - RT_GUEST_SPACE_SIZE, HOS_MEM_RESERVED, 0, 0};
  }
  return blocks[find_block(address)];
}

int hos_memory_is(uint64_t base, uint64_t size, uint32_t type) {
  if (size == 0 || base >= RT_GUEST_SPACE_SIZE || size > RT_GUEST_SPACE_SIZE - base) return 0;
  for (uint64_t at = base; at < base + size;) {
    hos_memory_info info = hos_memory_query(at);
    if (info.type != type) return 0;
    at = info.base + info.size;
  }
  return 1;
}

hos_result hos_heap_set_size(uint64_t size, uint64_t *address) {
  /* Horizon takes multiples of 2 MiB within the heap region. */
  if (size % 0x200000 != 0 || size > HOS_HEAP_REGION_SIZE) return KERN_INVALID_SIZE;
  if (size > HOS_TOTAL_MEMORY) return KERN_OUT_OF_MEMORY;
  hos_result result = HOS_SUCCESS;
  if (size > heap_size) {
    result = hos_memory_set(HOS_HEAP_BASE + heap_size, size - heap_size, HOS_MEM_HEAP, HOS_PERM_R | HOS_PERM_W, 0);
  } else if (size < heap_size) {
    if (!hos_memory_is(HOS_HEAP_BASE + size, heap_size - size, HOS_MEM_HEAP)) return KERN_INVALID_CURRENT_MEMORY;
    result = hos_memory_set(HOS_HEAP_BASE + size, heap_size - size, HOS_MEM_UNMAPPED, 0, 0);
  }
  if (result != HOS_SUCCESS) return result;
  heap_size = size;
  *address = HOS_HEAP_BASE;
  return HOS_SUCCESS;
}

uint64_t hos_heap_size(void) { return heap_size; }
