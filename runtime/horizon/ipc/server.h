/*
 * runtime/horizon/ipc: the CMIF server. A client session (a kernel handle) leads to one service
 * object, or, after ConvertCurrentObjectToDomain, to a domain of objects addressed by id. A
 * request is parsed (HIPC, then the CMIF or domain headers of libnx's sf/cmif.h), handed to the
 * object's command by id, and the response (CMIF out header, raw data, handles or domain object
 * ids) is written back into the TLS message buffer. Control requests (QueryPointerBufferSize,
 * ConvertCurrentObjectToDomain, CopyFromCurrentDomain, CloneCurrentObject(Ex)) and Close are
 * handled here for every service.
 */
#ifndef HOS_IPC_SERVER_H
#define HOS_IPC_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "cpu.h"
#include "ipc/hipc.h"
#include "kernel/handles.h"
#include "kernel/result.h"

#define CMIF_IN_MAGIC 0x49434653u  /* "SFCI" */
#define CMIF_OUT_MAGIC 0x4F434653u /* "SFCO" */
#define HOS_MAX_OUT 8u
#define HOS_MAX_DOMAIN_OBJECTS 64u
/* The process id the kernel stamps on pid descriptors (fixed: a run must not depend on the host). */
#define HOS_PROCESS_ID 0x51u

typedef struct hos_request hos_request;
typedef struct hos_object hos_object;
typedef hos_result (*hos_command_fn)(hos_object *self, hos_request *request);

typedef struct hos_command {
  uint32_t id;
  hos_command_fn run;
} hos_command;

/* An interface: its name (as Horizon's headers name it) and its commands, sorted by id. */
typedef struct hos_interface {
  const char *name;
  const hos_command *commands;
  size_t command_count;
} hos_interface;

/* One service object (an interface instance) with the service's state for it. */
struct hos_object {
  const hos_interface *interface;
  const char *service;        /* the sm name it descends from, for messages and the replay log */
  uint16_t pointer_buffer_size; /* what QueryPointerBufferSize answers on its sessions */
  void *state;
  unsigned references;
};

hos_object *hos_object_create(const hos_interface *interface, const char *service, uint16_t pointer_buffer_size, void *state);
void hos_object_release(hos_object *object);

typedef struct hos_session {
  hos_kobject kobject;
  hos_object *object;                         /* not a domain */
  int is_domain;
  hos_object *domain[HOS_MAX_DOMAIN_OBJECTS]; /* a domain: object id n is domain[n - 1] */
} hos_session;

/* A new session handle to `object` (taking a reference); 0 when the handle table is full. */
uint32_t hos_session_open(hos_object *object);

/* SendSyncRequest: serves the request in `message` (the guest's TLS buffer) and writes the response. */
hos_result hos_session_serve(hos_session *session, uint8_t message[HIPC_MESSAGE_SIZE], uint64_t pc);

struct hos_request {
  const hipc_message *hipc;
  hos_session *session;
  const hos_object *target;
  uint64_t pc;
  uint32_t command_id;
  const char *kind; /* "control" or "close" for the replay log; NULL for a command of the target's interface */
  uint8_t in[HIPC_MESSAGE_SIZE]; /* raw data after the CMIF in header, zero-padded */
  uint32_t in_size;
  uint32_t in_objects[HOS_MAX_OUT], num_in_objects;
  uint8_t out[HIPC_MESSAGE_SIZE];
  uint32_t out_size;
  uint32_t copy_handles[HOS_MAX_OUT], num_copy_handles;
  uint32_t move_handles[HOS_MAX_OUT], num_move_handles;
  hos_object *out_objects[HOS_MAX_OUT];
  uint32_t num_out_objects;
};

/* Raw input at `offset` (little-endian); bytes past what the client sent read as zero. */
uint8_t hos_in_u8(const hos_request *request, uint32_t offset);
uint32_t hos_in_u32(const hos_request *request, uint32_t offset);
uint64_t hos_in_u64(const hos_request *request, uint32_t offset);
/* Appends raw output, aligned to `alignment` (the C struct layout libnx reads). */
void hos_out_bytes(hos_request *request, const void *bytes, uint32_t size, uint32_t alignment);
void hos_out_u8(hos_request *request, uint8_t value);
void hos_out_u16(hos_request *request, uint16_t value);
void hos_out_u32(hos_request *request, uint32_t value);
void hos_out_u64(hos_request *request, uint64_t value);
/* Output handles and objects (a new session, or a domain object id in a domain). */
void hos_out_copy_handle(hos_request *request, uint32_t handle);
void hos_out_move_handle(hos_request *request, uint32_t handle);
void hos_out_object(hos_request *request, hos_object *object);
/* Copy handle number `index` the client sent (0 when absent). */
uint32_t hos_in_copy_handle(const hos_request *request, uint32_t index);

/* Guest buffers of the descriptors; guest ranges are checked, a bad one is a fault naming the command. */
typedef struct hos_guest_buffer {
  uint64_t address, size;
} hos_guest_buffer;
hos_guest_buffer hos_buffer_in(const hos_request *request, uint32_t index);    /* A */
hos_guest_buffer hos_buffer_out(const hos_request *request, uint32_t index);   /* B */
hos_guest_buffer hos_pointer_in(const hos_request *request, uint32_t index);   /* X with descriptor index */
hos_guest_buffer hos_pointer_out(const hos_request *request, uint32_t index);  /* C: receive-list entry */
/* Auto buffers (libnx's SfBufferAttr_HipcAutoSelect): the X/C one when it is non-empty, else the A/B one. */
hos_guest_buffer hos_auto_in(const hos_request *request, uint32_t pointer_index, uint32_t buffer_index);
hos_guest_buffer hos_auto_out(const hos_request *request, uint32_t pointer_index, uint32_t buffer_index);
/* The host view of a guest buffer for reading or writing (RT_READ / RT_WRITE). */
uint8_t *hos_guest(const hos_request *request, hos_guest_buffer buffer, unsigned permissions);

/* Stops the run naming the service, interface and command (unknown commands, bad arguments). */
RT_NORETURN void hos_request_fault(const hos_request *request, const char *problem);

#endif
