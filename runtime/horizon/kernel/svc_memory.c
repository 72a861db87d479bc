/*
 * runtime/horizon/kernel: memory SVCs. Arguments and results follow Horizon's registers
 * (libnx's svc.s): results in w0, outputs from x1.
 */
#include "kernel/svc.h"
#include "memory.h"

static int page_range_ok(uint64_t address, uint64_t size) {
  return address % RT_PAGE_SIZE == 0 && size % RT_PAGE_SIZE == 0 && size != 0 && address + size > address;
}

/* x1 = size; returns x1 = heap address. */
void svc_set_heap_size(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  uint64_t address = 0;
  cpu->x[0] = hos_heap_set_size(cpu->x[1], &address);
  if (cpu->x[0] == HOS_SUCCESS) cpu->x[1] = address;
}

/* Permissions of heap and code pages; libnx's dynamic.c makes RELRO read-only (R) with it. */
void svc_set_memory_permission(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  uint64_t address = cpu->x[0], size = cpu->x[1];
  uint32_t permissions = (uint32_t)cpu->x[2];
  if (!page_range_ok(address, size)) {
    cpu->x[0] = address % RT_PAGE_SIZE ? KERN_INVALID_ADDRESS : KERN_INVALID_SIZE;
    return;
  }
  if (permissions != 0 && permissions != HOS_PERM_R && permissions != (HOS_PERM_R | HOS_PERM_W)) {
    cpu->x[0] = KERN_INVALID_NEW_MEMORY_PERMISSION;
    return;
  }
  hos_memory_info info = hos_memory_query(address);
  if (info.type == HOS_MEM_UNMAPPED || info.type == HOS_MEM_RESERVED || address + size > info.base + info.size ||
      (info.attributes & HOS_ATTR_PERMISSION_LOCKED)) {
    cpu->x[0] = KERN_INVALID_CURRENT_MEMORY;
    return;
  }
  hos_memory_protect(address, size, permissions, info.attributes);
  cpu->x[0] = HOS_SUCCESS;
}

/* Only the attributes a program may change: uncached (bit 3) and, from 16.0.0, permission-locked (bit 4). */
void svc_set_memory_attribute(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  uint64_t address = cpu->x[0], size = cpu->x[1];
  uint32_t mask = (uint32_t)cpu->x[2], value = (uint32_t)cpu->x[3];
  if (!page_range_ok(address, size)) {
    cpu->x[0] = KERN_INVALID_SIZE;
    return;
  }
  if ((mask | value) != mask || (mask & ~0x18u) != 0) {
    cpu->x[0] = KERN_INVALID_COMBINATION;
    return;
  }
  hos_memory_info info = hos_memory_query(address);
  if (info.type == HOS_MEM_UNMAPPED || address + size > info.base + info.size) {
    cpu->x[0] = KERN_INVALID_CURRENT_MEMORY;
    return;
  }
  hos_memory_protect(address, size, info.permissions, (info.attributes & ~mask) | value);
  cpu->x[0] = HOS_SUCCESS;
}

/* MapMemory(dst, src, size): src (heap) becomes inaccessible and its contents appear at dst in the stack region. */
void svc_map_memory(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  uint64_t destination = cpu->x[0], source = cpu->x[1], size = cpu->x[2];
  if (!page_range_ok(destination, size) || !page_range_ok(source, size)) {
    cpu->x[0] = KERN_INVALID_SIZE;
    return;
  }
  if (destination < HOS_STACK_REGION_BASE || destination + size > HOS_STACK_REGION_BASE + HOS_STACK_REGION_SIZE) {
    cpu->x[0] = KERN_INVALID_MEMORY_REGION;
    return;
  }
  if (!hos_memory_is(source, size, HOS_MEM_HEAP) || !hos_memory_is(destination, size, HOS_MEM_UNMAPPED)) {
    cpu->x[0] = KERN_INVALID_CURRENT_MEMORY;
    return;
  }
  cpu->x[0] = hos_memory_set(destination, size, HOS_MEM_STACK, HOS_PERM_R | HOS_PERM_W, 0);
  if (cpu->x[0] != HOS_SUCCESS) return;
  memcpy(rt_guest_base + destination, rt_guest_base + source, (size_t)size);
  hos_memory_protect(source, size, 0, 1 /* borrowed */);
}

void svc_unmap_memory(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  uint64_t destination = cpu->x[0], source = cpu->x[1], size = cpu->x[2];
  if (!page_range_ok(destination, size) || !page_range_ok(source, size)) {
    cpu->x[0] = KERN_INVALID_SIZE;
    return;
  }
  if (!hos_memory_is(destination, size, HOS_MEM_STACK) || !hos_memory_is(source, size, HOS_MEM_HEAP)) {
    cpu->x[0] = KERN_INVALID_CURRENT_MEMORY;
    return;
  }
  /* Writable again first: the guest's page protection applies to the copy too. */
  hos_memory_protect(source, size, HOS_PERM_R | HOS_PERM_W, 0);
  memcpy(rt_guest_base + source, rt_guest_base + destination, (size_t)size);
  cpu->x[0] = hos_memory_set(destination, size, HOS_MEM_UNMAPPED, 0, 0);
}

/* QueryMemory(MemoryInfo *out = x0, addr = x2): the 0x28-byte MemoryInfo; w1 = page info (0). */
void svc_query_memory(recomp_cpu *cpu, uint64_t pc) {
  hos_memory_info info = hos_memory_query(cpu->x[2]);
  uint8_t *out = rt_host(cpu->x[0], 0x28, RT_WRITE, pc);
  uint32_t words[10] = {(uint32_t)info.base, (uint32_t)(info.base >> 32), (uint32_t)info.size, (uint32_t)(info.size >> 32),
                        info.type, info.attributes, info.permissions, 0, 0, 0};
  for (int i = 0; i < 10; i++) {
    for (int b = 0; b < 4; b++) out[4 * i + b] = (uint8_t)(words[i] >> (8 * b));
  }
  cpu->x[0] = HOS_SUCCESS;
  cpu->x[1] = 0;
}

void svc_map_shared_memory(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  hos_shared_memory *memory = (hos_shared_memory *)hos_handle_get((uint32_t)cpu->x[0], HOS_KIND_SHARED_MEMORY);
  cpu->x[0] = memory == NULL ? KERN_INVALID_HANDLE : hos_shared_memory_map(memory, cpu->x[1], cpu->x[2], (uint32_t)cpu->x[3]);
}

void svc_unmap_shared_memory(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  hos_shared_memory *memory = (hos_shared_memory *)hos_handle_get((uint32_t)cpu->x[0], HOS_KIND_SHARED_MEMORY);
  cpu->x[0] = memory == NULL ? KERN_INVALID_HANDLE : hos_shared_memory_unmap(memory, cpu->x[1], cpu->x[2]);
}

/* CreateTransferMemory(addr = x1, size = x2, perm = w3): w1 = handle. */
void svc_create_transfer_memory(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  uint32_t handle = 0;
  cpu->x[0] = hos_transfer_memory_create(cpu->x[1], cpu->x[2], (uint32_t)cpu->x[3], &handle);
  if (cpu->x[0] == HOS_SUCCESS) cpu->x[1] = handle;
}
