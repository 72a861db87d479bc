/*
 * runtime/horizon/services/vi: IHOSBinderDriver, the relay to each layer's buffer queue (Android's
 * IGraphicBufferProducer as libnx's display/buffer_producer.c speaks it). Slots are described once
 * (SET_PREALLOCATED_BUFFER: an NvGraphicBuffer over nvmap memory), then dequeued, drawn by the CPU
 * and queued; queueing presents the frame at once, so the slot is free again when the reply
 * arrives and the fences handed out are empty. The native-handle event (buffer available) is
 * signalled while some described slot is free.
 */
#include <stdio.h>
#include <string.h>

#include "memory.h"
#include "kernel/kernel.h"
#include "services/registry.h"
#include "services/vi/parcel.h"
#include "services/vi/vi.h"

#define BQ_SLOTS 64u
#define BQ_MAX_QUEUES 8u
#define BQ_INTERFACE "android.gui.IGraphicBufferProducer"
/* Android status codes in reply parcels (negated errno). */
#define BQ_OK 0
#define BQ_BAD_VALUE (-22)
#define BQ_WOULD_BLOCK (-11)
#define BQ_GRAPHIC_BUFFER_MAGIC 0x47424652u /* "GBFR" */
#define BQ_GRAPHIC_BUFFER_MAX 0x200u
/* In a flattened GBFR: 10 header words, then NvGraphicBuffer without its 12-byte NativeHandle. */
#define GBFR_NV(offset) (40u + (offset) - 12u)
#define GBFR_MIN_SIZE GBFR_NV(0x150u)
#define NV_NVMAP_ID 0x10u
#define NV_NUM_PLANES 0x34u
#define NV_PLANE0 0x40u
#define BQ_FENCE_SIZE 0x24u  /* NvMultiFence */
#define BQ_INPUT_SIZE 0x54u  /* BqBufferInput */

enum { SLOT_FREE, SLOT_DEQUEUED };

typedef struct buffer_queue {
  int connected;
  uint32_t width, height, format;
  uint32_t next_slot; /* where the search for a free slot starts: slots are handed out in turn */
  hos_event *event;
  struct {
    int described, state;
    vi_surface surface;
    uint8_t graphic_buffer[BQ_GRAPHIC_BUFFER_MAX];
    uint32_t graphic_buffer_size;
  } slots[BQ_SLOTS];
} buffer_queue;

static buffer_queue queues[BQ_MAX_QUEUES]; /* binder id n is queues[n - 1] */
static uint32_t queue_count;

int32_t vi_binder_create_queue(void) {
  if (queue_count == BQ_MAX_QUEUES) return 0;
  buffer_queue *queue = &queues[queue_count++];
  queue->width = VI_DISPLAY_WIDTH, queue->height = VI_DISPLAY_HEIGHT, queue->format = 1;
  queue->event = hos_event_create("binder buffer-available event");
  return (int32_t)queue_count;
}

static buffer_queue *queue_of(const hos_request *request, int32_t id) {
  if (id < 1 || (uint32_t)id > queue_count) {
    char problem[96];
    snprintf(problem, sizeof problem, "names binder %d, which does not exist", id);
    hos_request_fault(request, problem);
  }
  return &queues[id - 1];
}

/* Signalled while a described slot is free (libnx waits on it before each DEQUEUE_BUFFER). */
static void update_event(buffer_queue *queue) {
  for (uint32_t i = 0; i < BQ_SLOTS; i++) {
    if (queue->slots[i].described && queue->slots[i].state == SLOT_FREE) {
      hos_event_signal(queue->event);
      return;
    }
  }
  hos_event_clear(queue->event);
}

static uint32_t u32_at(const uint8_t *p, uint32_t offset) {
  uint32_t v;
  memcpy(&v, p + offset, 4);
  return v;
}

static int slot_ok(int32_t slot) { return slot >= 0 && (uint32_t)slot < BQ_SLOTS; }

/* SET_PREALLOCATED_BUFFER (14): slot, has-input, flattened GBFR with the NvGraphicBuffer's ints. */
static void set_preallocated_buffer(const hos_request *request, buffer_queue *queue, parcel_reader *in) {
  int32_t slot = parcel_read_i32(in), has_input = parcel_read_i32(in);
  if (!slot_ok(slot)) hos_request_fault(request, "describes a buffer-queue slot out of range");
  if (!has_input) {
    queue->slots[slot].described = 0;
    update_event(queue);
    return;
  }
  uint32_t size = 0;
  const uint8_t *gbfr = parcel_read_flattened(in, &size);
  if (gbfr == NULL || size < GBFR_MIN_SIZE || size > BQ_GRAPHIC_BUFFER_MAX || u32_at(gbfr, 0) != BQ_GRAPHIC_BUFFER_MAGIC ||
      u32_at(gbfr, GBFR_NV(NV_NUM_PLANES)) == 0) {
    hos_request_fault(request, "describes a graphic buffer that is not an NvGraphicBuffer (GBFR, one plane or more)");
  }
  const uint8_t *plane = gbfr + GBFR_NV(NV_PLANE0);
  vi_surface *surface = &queue->slots[slot].surface;
  surface->nvmap_id = u32_at(gbfr, GBFR_NV(NV_NVMAP_ID));
  surface->width = u32_at(plane, 0x00), surface->height = u32_at(plane, 0x04);
  memcpy(&surface->color_format, plane + 0x08, 8);
  surface->layout = u32_at(plane, 0x10), surface->pitch = u32_at(plane, 0x14), surface->offset = u32_at(plane, 0x1C);
  surface->block_height_log2 = u32_at(plane, 0x24);
  memcpy(&surface->size, plane + 0x38, 8);
  memcpy(queue->slots[slot].graphic_buffer, gbfr, size);
  queue->slots[slot].graphic_buffer_size = size;
  queue->slots[slot].described = 1, queue->slots[slot].state = SLOT_FREE;
  update_event(queue);
}

/* DEQUEUE_BUFFER (3): async, width, height, format, usage -> slot, fence present, flattened NvMultiFence, status. */
static void dequeue_buffer(buffer_queue *queue, parcel_reader *in, parcel_writer *out) {
  for (int i = 0; i < 5; i++) parcel_read_i32(in);
  for (uint32_t n = 0; n < BQ_SLOTS; n++) {
    uint32_t slot = (queue->next_slot + n) % BQ_SLOTS;
    if (queue->slots[slot].described && queue->slots[slot].state == SLOT_FREE) {
      queue->slots[slot].state = SLOT_DEQUEUED;
      queue->next_slot = slot + 1;
      update_event(queue);
      uint8_t fence[BQ_FENCE_SIZE] = {0}; /* num_fences 0: nothing to wait for */
      parcel_write_i32(out, (int32_t)slot);
      parcel_write_i32(out, 1);
      parcel_write_flattened(out, fence, sizeof fence);
      parcel_write_i32(out, BQ_OK);
      return;
    }
  }
  parcel_write_i32(out, -1);
  parcel_write_i32(out, 0);
  parcel_write_i32(out, BQ_WOULD_BLOCK);
}

/* REQUEST_BUFFER (1): slot -> non-null, the flattened graphic buffer, status. */
static void request_buffer(buffer_queue *queue, parcel_reader *in, parcel_writer *out) {
  int32_t slot = parcel_read_i32(in);
  if (!slot_ok(slot) || !queue->slots[slot].described || queue->slots[slot].state != SLOT_DEQUEUED) {
    parcel_write_i32(out, 0);
    parcel_write_i32(out, BQ_BAD_VALUE);
    return;
  }
  parcel_write_i32(out, 1);
  parcel_write_flattened(out, queue->slots[slot].graphic_buffer, queue->slots[slot].graphic_buffer_size);
  parcel_write_i32(out, BQ_OK);
}

static void write_output(buffer_queue *queue, parcel_writer *out) {
  uint32_t output[4] = {queue->width, queue->height, 0, 0}; /* BqBufferOutput: transform hint, pending buffers */
  parcel_write_bytes(out, output, sizeof output);
}

/* QUEUE_BUFFER (7): slot, flattened BqBufferInput -> BqBufferOutput, status. Presents the frame. */
static void queue_buffer(const hos_request *request, buffer_queue *queue, parcel_reader *in, parcel_writer *out) {
  int32_t slot = parcel_read_i32(in);
  uint32_t size = 0;
  const uint8_t *input = parcel_read_flattened(in, &size);
  if (!slot_ok(slot) || !queue->slots[slot].described || queue->slots[slot].state != SLOT_DEQUEUED || input == NULL || size < BQ_INPUT_SIZE) {
    write_output(queue, out);
    parcel_write_i32(out, BQ_BAD_VALUE);
    return;
  }
  vi_present(request, &queue->slots[slot].surface);
  queue->slots[slot].state = SLOT_FREE;
  update_event(queue);
  write_output(queue, out);
  parcel_write_i32(out, BQ_OK);
}

/* CANCEL_BUFFER (8): slot, flattened fence; the reply is empty. */
static void cancel_buffer(buffer_queue *queue, parcel_reader *in) {
  int32_t slot = parcel_read_i32(in);
  if (slot_ok(slot) && queue->slots[slot].state == SLOT_DEQUEUED) queue->slots[slot].state = SLOT_FREE;
  update_event(queue);
}

/* QUERY (9): what (0 width, 1 height, 2 format) -> value, status. */
static void query(buffer_queue *queue, parcel_reader *in, parcel_writer *out) {
  int32_t what = parcel_read_i32(in);
  uint32_t values[3] = {queue->width, queue->height, queue->format};
  parcel_write_i32(out, what >= 0 && what < 3 ? (int32_t)values[what] : 0);
  parcel_write_i32(out, what >= 0 && what < 3 ? BQ_OK : BQ_BAD_VALUE);
}

/* CONNECT (10): listener, api, producer-controlled-by-app -> BqBufferOutput, status. */
static void connect(buffer_queue *queue, parcel_reader *in, parcel_writer *out) {
  for (int i = 0; i < 3; i++) parcel_read_i32(in);
  write_output(queue, out);
  parcel_write_i32(out, queue->connected ? BQ_BAD_VALUE : BQ_OK);
  queue->connected = 1;
}

/* DISCONNECT (11): api -> status. */
static void disconnect(buffer_queue *queue, parcel_reader *in, parcel_writer *out) {
  parcel_read_i32(in);
  parcel_write_i32(out, queue->connected ? BQ_OK : BQ_BAD_VALUE);
  queue->connected = 0;
}

static hos_result transact(hos_request *request, hos_guest_buffer in_buffer, hos_guest_buffer out_buffer) {
  buffer_queue *queue = queue_of(request, (int32_t)hos_in_u32(request, 0));
  uint32_t code = hos_in_u32(request, 4);
  parcel_reader in;
  if (!parcel_open(&in, hos_guest(request, in_buffer, RT_READ), in_buffer.size) || !parcel_read_interface_token(&in, BQ_INTERFACE)) {
    hos_request_fault(request, "sends a parcel that is not an IGraphicBufferProducer transaction");
  }
  parcel_writer out;
  parcel_begin(&out, hos_guest(request, out_buffer, RT_WRITE), out_buffer.size);
  switch (code) {
  case 1: request_buffer(queue, &in, &out); break;
  case 3: dequeue_buffer(queue, &in, &out); break;
  case 7: queue_buffer(request, queue, &in, &out); break;
  case 8: cancel_buffer(queue, &in); break;
  case 9: query(queue, &in, &out); break;
  case 10: connect(queue, &in, &out); break;
  case 11: disconnect(queue, &in, &out); break;
  case 14: set_preallocated_buffer(request, queue, &in); break;
  default: {
    char problem[96];
    snprintf(problem, sizeof problem, "sends binder transaction %u, which is not implemented", code);
    hos_request_fault(request, problem);
  }
  }
  if (in.overrun) hos_request_fault(request, "sends a parcel shorter than its transaction");
  if (out.overflow) hos_request_fault(request, "gives a reply buffer too small for the reply parcel");
  parcel_finish(&out);
  return HOS_SUCCESS;
}

/* TransactParcel (0, A/B buffers) and TransactParcelAuto (3): {s32 id, u32 code, u32 flags}. */
static hos_result transact_parcel(hos_object *self, hos_request *request) {
  (void)self;
  return transact(request, hos_buffer_in(request, 0), hos_buffer_out(request, 0));
}

static hos_result transact_parcel_auto(hos_object *self, hos_request *request) {
  (void)self;
  return transact(request, hos_auto_in(request, 0, 0), hos_auto_out(request, 0, 0));
}

/* AdjustRefcount (1): {s32 id, s32 add, s32 type}; the queues live for the whole run. */
static hos_result adjust_refcount(hos_object *self, hos_request *request) {
  (void)self;
  queue_of(request, (int32_t)hos_in_u32(request, 0));
  return HOS_SUCCESS;
}

/* GetNativeHandle (2): {s32 id, u32 what}; 0x0F is the buffer-available event. */
static hos_result get_native_handle(hos_object *self, hos_request *request) {
  (void)self;
  buffer_queue *queue = queue_of(request, (int32_t)hos_in_u32(request, 0));
  if (hos_in_u32(request, 4) != 0x0F) hos_request_fault(request, "asks for a native handle other than 0x0f (buffer available)");
  uint32_t handle = hos_event_readable_handle(queue->event);
  if (handle == 0) return KERN_OUT_OF_HANDLES;
  hos_out_copy_handle(request, handle);
  return HOS_SUCCESS;
}

HOS_INTERFACE(binder_driver, "IHOSBinderDriver", {0, transact_parcel}, {1, adjust_refcount}, {2, get_native_handle},
              {3, transact_parcel_auto});

hos_object *vi_binder_driver_create(const char *service) { return hos_object_create(&binder_driver, service, 0, NULL); }
