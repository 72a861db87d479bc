/*
 * runtime/horizon/kernel: the process handle table. A handle is (serial << 15) | slot, as
 * Horizon builds them, with serials counted from 1 so values are deterministic run to run.
 * 0xFFFF8000 / 0xFFFF8001 are the pseudo-handles of the current thread and process.
 */
#ifndef HOS_HANDLES_H
#define HOS_HANDLES_H

#include <stdint.h>

#define HOS_CURRENT_THREAD 0xFFFF8000u
#define HOS_CURRENT_PROCESS 0xFFFF8001u
#define HOS_MAX_HANDLES 1024u

typedef enum hos_object_kind {
  HOS_KIND_NONE,
  HOS_KIND_SESSION,        /* client session: object is a hos_session */
  HOS_KIND_READABLE_EVENT, /* object is a hos_event */
  HOS_KIND_WRITABLE_EVENT, /* object is a hos_event */
  HOS_KIND_SHARED_MEMORY,  /* object is a hos_shared_memory */
  HOS_KIND_TRANSFER_MEMORY, /* object is a hos_transfer_memory */
  HOS_KIND_THREAD,          /* object is a hos_thread */
  HOS_KIND_PROCESS,
} hos_object_kind;

/* Every kernel object starts with this: handles and services hold references to it. */
typedef struct hos_kobject {
  hos_object_kind kind;
  unsigned references;
  void (*destroy)(struct hos_kobject *object); /* called when the last reference goes */
} hos_kobject;

void hos_kobject_retain(hos_kobject *object);
void hos_kobject_release(hos_kobject *object);

/* Adds a handle to `object` (taking a reference); 0 when the table is full. */
uint32_t hos_handle_create(hos_kobject *object);
/* The object of `handle` when it is of `kind` (HOS_KIND_NONE: any kind), else NULL. */
hos_kobject *hos_handle_get(uint32_t handle, hos_object_kind kind);
/* Removes a handle (dropping its reference); 0 or -1 when it is not a handle. */
int hos_handle_close(uint32_t handle);

#endif
