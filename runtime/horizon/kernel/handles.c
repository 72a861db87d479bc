/* runtime/horizon/kernel: the handle table (handles.h). Free slots are reused lowest first. */
#include <stddef.h>

#include "kernel/handles.h"

static struct {
  hos_kobject *object;
  uint32_t serial;
} table[HOS_MAX_HANDLES];
static uint32_t next_serial = 1;

void hos_kobject_retain(hos_kobject *object) { object->references++; }

void hos_kobject_release(hos_kobject *object) {
  if (--object->references == 0 && object->destroy != NULL) object->destroy(object);
}

uint32_t hos_handle_create(hos_kobject *object) {
  for (uint32_t slot = 0; slot < HOS_MAX_HANDLES; slot++) {
    if (table[slot].object != NULL) continue;
    table[slot].object = object;
    table[slot].serial = next_serial;
    next_serial = next_serial == 0x1FFFF ? 1 : next_serial + 1; /* 17 bits above the 15-bit slot */
    hos_kobject_retain(object);
    return table[slot].serial << 15 | slot;
  }
  return 0;
}

static int slot_of(uint32_t handle) {
  uint32_t slot = handle & 0x7FFF;
  if (slot >= HOS_MAX_HANDLES || table[slot].object == NULL || table[slot].serial != handle >> 15) return -1;
  return (int)slot;
}

hos_kobject *hos_handle_get(uint32_t handle, hos_object_kind kind) {
  int slot = slot_of(handle);
  if (slot < 0) return NULL;
  hos_kobject *object = table[slot].object;
  return kind == HOS_KIND_NONE || object->kind == kind ? object : NULL;
}

int hos_handle_close(uint32_t handle) {
  int slot = slot_of(handle);
  if (slot < 0) return -1;
  hos_kobject *object = table[slot].object;
  table[slot].object = NULL;
  hos_kobject_release(object);
  return 0;
}
