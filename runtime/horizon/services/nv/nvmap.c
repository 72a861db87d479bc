/*
 * runtime/horizon/services/nv: /dev/nvmap. An object is created with a size (CREATE), given guest
 * memory (ALLOC: the CPU address libnx passes, the framebuffer on its heap), named by an id other
 * processes can open (GET_ID / FROM_ID) and freed (FREE). Layouts are libnx's
 * nvidia/ioctl/nvmap.c structs.
 */
#include <string.h>

#include "memory.h"
#include "services/nv/nv.h"
#include "services/nv/nv_internal.h"

#define NVMAP_MAX_OBJECTS 256u
/* Ids differ from handles (as on the console) so a mix-up shows. */
#define NVMAP_ID_BASE 0x10000u

typedef struct nvmap_object {
  int used, allocated;
  uint32_t size, heap_mask, flags, align, kind;
  uint64_t address;
} nvmap_object;

static nvmap_object objects[NVMAP_MAX_OBJECTS]; /* handle n is objects[n - 1] */

static nvmap_object *by_handle(uint32_t handle) {
  return handle >= 1 && handle <= NVMAP_MAX_OBJECTS && objects[handle - 1].used ? &objects[handle - 1] : NULL;
}

int hos_nvmap_find(uint32_t id, uint64_t *address, uint64_t *size) {
  nvmap_object *object = by_handle(id - NVMAP_ID_BASE);
  if (object == NULL || !object->allocated) return 0;
  *address = object->address;
  *size = object->size;
  return 1;
}

static uint32_t rd(const uint8_t *args, uint32_t offset) {
  uint32_t value;
  memcpy(&value, args + offset, 4);
  return value;
}
static void wr(uint8_t *args, uint32_t offset, uint32_t value) { memcpy(args + offset, &value, 4); }

/* CREATE {in u32 size; out u32 handle} */
static uint32_t create(uint8_t *args) {
  uint32_t size = rd(args, 0);
  if (size == 0) return NV_ERROR_BAD_VALUE;
  for (uint32_t i = 0; i < NVMAP_MAX_OBJECTS; i++) {
    if (!objects[i].used) {
      objects[i] = (nvmap_object){.used = 1, .size = size};
      wr(args, 4, i + 1);
      return NV_SUCCESS;
    }
  }
  return NV_ERROR_INSUFFICIENT_MEMORY;
}

/* FROM_ID {in u32 id; out u32 handle} */
static uint32_t from_id(uint8_t *args) {
  uint32_t handle = rd(args, 0) - NVMAP_ID_BASE;
  if (by_handle(handle) == NULL) return NV_ERROR_BAD_VALUE;
  wr(args, 4, handle);
  return NV_SUCCESS;
}

/* ALLOC {u32 handle, heapmask, flags, align; u8 kind; pad[7]; u64 addr}: the memory must be the process's. */
static uint32_t alloc(uint8_t *args, const hos_request *request) {
  nvmap_object *object = by_handle(rd(args, 0));
  if (object == NULL) return NV_ERROR_BAD_VALUE;
  uint64_t address;
  memcpy(&address, args + 0x18, 8);
  uint32_t align = rd(args, 12);
  /* align is the GPU mapping's alignment, not the CPU address's: libnx passes 0x20000 for a framebuffer
     its allocator aligned to 0x1000. The CPU memory must be whole pages. */
  if (align != 0 && (align & (align - 1)) != 0) return NV_ERROR_BAD_VALUE;
  if ((address & 0xfffu) != 0) return NV_ERROR_BAD_VALUE;
  hos_guest(request, (hos_guest_buffer){address, object->size}, RT_READ | RT_WRITE);
  object->heap_mask = rd(args, 4), object->flags = rd(args, 8), object->align = align, object->kind = args[16];
  object->address = address, object->allocated = 1;
  return NV_SUCCESS;
}

/* FREE {in u32 handle; pad; out u64 refcount (address when freed), u32 size, u32 flags} */
static uint32_t free_object(uint8_t *args) {
  uint32_t handle = rd(args, 0);
  nvmap_object *object = by_handle(handle);
  if (object == NULL) return NV_ERROR_BAD_VALUE;
  memcpy(args + 8, &object->address, 8);
  wr(args, 16, object->size);
  wr(args, 20, 0); /* freed now: no NOT_FREED_YET flag */
  *object = (nvmap_object){0};
  return NV_SUCCESS;
}

/* PARAM {in u32 handle, param; out u32 result}: 1 size, 2 alignment, 3 base (low word), 4 heap mask, 5 kind. */
static uint32_t param(uint8_t *args) {
  nvmap_object *object = by_handle(rd(args, 0));
  if (object == NULL) return NV_ERROR_BAD_VALUE;
  uint32_t values[6] = {0, object->size, object->align, (uint32_t)object->address, object->heap_mask, object->kind};
  uint32_t which = rd(args, 4);
  if (which == 0 || which > 5) return NV_ERROR_BAD_VALUE;
  wr(args, 8, values[which]);
  return NV_SUCCESS;
}

/* GET_ID {out u32 id; in u32 handle} */
static uint32_t get_id(uint8_t *args) {
  uint32_t handle = rd(args, 4);
  if (by_handle(handle) == NULL) return NV_ERROR_BAD_VALUE;
  wr(args, 0, handle + NVMAP_ID_BASE);
  return NV_SUCCESS;
}

int nvmap_ioctl(uint32_t request_code, uint8_t *args, const hos_request *request, uint32_t *error) {
  switch (request_code) {
  case 0xC0080101u: *error = create(args); return 1;
  case 0xC0080103u: *error = from_id(args); return 1;
  case 0xC0200104u: *error = alloc(args, request); return 1;
  case 0xC0180105u: *error = free_object(args); return 1;
  case 0xC00C0109u: *error = param(args); return 1;
  case 0xC008010Eu: *error = get_id(args); return 1;
  default: return 0;
  }
}
