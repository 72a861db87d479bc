/*
 * runtime/horizon/services/vi: vi:m (IManagerRootService) and vi:u (IApplicationRootService) lead
 * to IApplicationDisplayService, as libnx's services/vi.c opens them. One display, "Default"
 * (1280x720); a layer opened or created on it gets a buffer queue whose binder id the native
 * window parcel carries. Layer ids come from appletOE's CreateManagedDisplayLayer (OpenLayer) or
 * from CreateStrayLayer here.
 */
#include <stdio.h>
#include <string.h>

#include "memory.h"
#include "kernel/kernel.h"
#include "services/registry.h"
#include "services/vi/parcel.h"
#include "services/vi/vi.h"

#define VI_DISPLAY_ID 0u
#define VI_MAX_LAYERS 16u
#define VI_NATIVE_WINDOW_SIZE 0x100u
#define VI_RESULT_NOT_FOUND HOS_MAKE_RESULT(114, 7)
#define VI_RESULT_INVALID_ARGUMENT HOS_MAKE_RESULT(114, 1)
#define VI_RESULT_TOO_MANY_LAYERS HOS_MAKE_RESULT(114, 5)
/* Stray layer ids start above the managed ones appletOE hands out. */
#define VI_STRAY_LAYER_BASE 0x1000u

static struct {
  int display_open;
  hos_event *vsync_event;
  struct {
    uint64_t id;
    int32_t binder_id;
  } layers[VI_MAX_LAYERS];
  uint32_t layer_count;
  uint64_t next_stray_id;
} vi = {0, NULL, {{0, 0}}, 0, VI_STRAY_LAYER_BASE};

static hos_result ok(hos_object *self, hos_request *request) {
  (void)self;
  (void)request;
  return HOS_SUCCESS;
}

static const hos_interface system_display_service;
static const hos_interface manager_display_service;

#define OPEN_SUB_INTERFACE(function, create)           \
  static hos_result function(hos_object *self, hos_request *request) { \
    hos_out_object(request, create);                    \
    return HOS_SUCCESS;                                 \
  }
OPEN_SUB_INTERFACE(get_relay_service, vi_binder_driver_create(self->service))
OPEN_SUB_INTERFACE(get_system_display_service, hos_object_create(&system_display_service, self->service, self->pointer_buffer_size, NULL))
OPEN_SUB_INTERFACE(get_manager_display_service, hos_object_create(&manager_display_service, self->service, self->pointer_buffer_size, NULL))

/* OpenDisplay (1010): ViDisplayName (0x40 bytes) -> u64 display id. Only "Default" exists. */
static hos_result open_display(hos_object *self, hos_request *request) {
  (void)self;
  char name[0x41] = "";
  for (uint32_t i = 0; i < 0x40; i++) name[i] = (char)hos_in_u8(request, i);
  if (strcmp(name, "Default") != 0) return VI_RESULT_NOT_FOUND;
  vi.display_open = 1;
  hos_out_u64(request, VI_DISPLAY_ID);
  return HOS_SUCCESS;
}

static int display_ok(uint64_t id) { return vi.display_open && id == VI_DISPLAY_ID; }

/* CloseDisplay (1020): u64 display id. */
static hos_result close_display(hos_object *self, hos_request *request) {
  (void)self;
  if (!display_ok(hos_in_u64(request, 0))) return VI_RESULT_NOT_FOUND;
  vi.display_open = 0;
  return HOS_SUCCESS;
}

/* GetDisplayResolution (1102): u64 display id -> s64 width, s64 height. */
static hos_result get_display_resolution(hos_object *self, hos_request *request) {
  (void)self;
  if (!display_ok(hos_in_u64(request, 0))) return VI_RESULT_NOT_FOUND;
  hos_out_u64(request, VI_DISPLAY_WIDTH);
  hos_out_u64(request, VI_DISPLAY_HEIGHT);
  return HOS_SUCCESS;
}

/*
 * The native window parcel (into the B buffer): a flattened binder object as the console writes
 * it: type 2, pid, the binder id (libnx reads word 2), three padding words, "dispdrv", two padding
 * words. Returns the parcel size.
 */
static uint64_t write_native_window(hos_request *request, int32_t binder_id) {
  hos_guest_buffer buffer = hos_buffer_out(request, 0);
  if (buffer.size < VI_NATIVE_WINDOW_SIZE) hos_request_fault(request, "gives a native window buffer smaller than 0x100 bytes");
  parcel_writer out;
  parcel_begin(&out, hos_guest(request, buffer, RT_WRITE), buffer.size);
  uint32_t object[10] = {2, HOS_PROCESS_ID, (uint32_t)binder_id, 0, 0, 0, 0, 0, 0, 0};
  memcpy(&object[6], "dispdrv", 8);
  parcel_write_bytes(&out, object, sizeof object);
  return parcel_finish(&out);
}

static hos_result add_layer(hos_request *request, uint64_t layer_id, uint64_t *parcel_size) {
  for (uint32_t i = 0; i < vi.layer_count; i++) {
    if (vi.layers[i].id == layer_id) return VI_RESULT_INVALID_ARGUMENT; /* already open */
  }
  if (vi.layer_count == VI_MAX_LAYERS) return VI_RESULT_TOO_MANY_LAYERS;
  int32_t binder_id = vi_binder_create_queue();
  if (binder_id == 0) return VI_RESULT_TOO_MANY_LAYERS;
  vi.layers[vi.layer_count].id = layer_id, vi.layers[vi.layer_count].binder_id = binder_id;
  vi.layer_count++;
  *parcel_size = write_native_window(request, binder_id);
  return HOS_SUCCESS;
}

/* OpenLayer (2020): {ViDisplayName, u64 layer id, u64 ARUID}, pid, B buffer -> u64 native window size. */
static hos_result open_layer(hos_object *self, hos_request *request) {
  (void)self;
  char name[0x41] = "";
  for (uint32_t i = 0; i < 0x40; i++) name[i] = (char)hos_in_u8(request, i);
  if (strcmp(name, "Default") != 0 || !vi.display_open) return VI_RESULT_NOT_FOUND;
  uint64_t size = 0;
  hos_result result = add_layer(request, hos_in_u64(request, 0x40), &size);
  if (result == HOS_SUCCESS) hos_out_u64(request, size);
  return result;
}

/* CreateStrayLayer (2030): {u32 flags, pad, u64 display id}, B buffer -> u64 layer id, u64 native window size. */
static hos_result create_stray_layer(hos_object *self, hos_request *request) {
  (void)self;
  if (!display_ok(hos_in_u64(request, 8))) return VI_RESULT_NOT_FOUND;
  uint64_t size = 0, id = vi.next_stray_id;
  hos_result result = add_layer(request, id, &size);
  if (result != HOS_SUCCESS) return result;
  vi.next_stray_id++;
  hos_out_u64(request, id);
  hos_out_u64(request, size);
  return HOS_SUCCESS;
}

/* CloseLayer (2021) and DestroyStrayLayer (2031): u64 layer id. The layer's queue stays (its binder id is not reused). */
static hos_result close_layer(hos_object *self, hos_request *request) {
  (void)self;
  uint64_t id = hos_in_u64(request, 0);
  for (uint32_t i = 0; i < vi.layer_count; i++) {
    if (vi.layers[i].id == id) {
      vi.layers[i] = vi.layers[--vi.layer_count];
      return HOS_SUCCESS;
    }
  }
  return VI_RESULT_NOT_FOUND;
}

/* SetLayerScalingMode (2101): {u32 mode, pad, u64 layer id}; modes 0-4 (ViScalingMode). Frames are captured unscaled. */
static hos_result set_layer_scaling_mode(hos_object *self, hos_request *request) {
  (void)self;
  if (hos_in_u32(request, 0) > 4) return VI_RESULT_INVALID_ARGUMENT;
  uint64_t id = hos_in_u64(request, 8);
  for (uint32_t i = 0; i < vi.layer_count; i++) {
    if (vi.layers[i].id == id) return HOS_SUCCESS;
  }
  return VI_RESULT_NOT_FOUND;
}

/* GetDisplayVsyncEvent (5202): u64 display id -> copy handle to the event each presented frame signals. */
static hos_result get_display_vsync_event(hos_object *self, hos_request *request) {
  (void)self;
  if (!display_ok(hos_in_u64(request, 0))) return VI_RESULT_NOT_FOUND;
  if (vi.vsync_event == NULL) vi.vsync_event = hos_event_create("vi vsync event");
  uint32_t handle = hos_event_readable_handle(vi.vsync_event);
  if (handle == 0) return KERN_OUT_OF_HANDLES;
  hos_out_copy_handle(request, handle);
  return HOS_SUCCESS;
}

void vi_signal_vsync(void) {
  if (vi.vsync_event != NULL) hos_event_signal(vi.vsync_event);
}

HOS_INTERFACE(application_display_service, "IApplicationDisplayService", {100, get_relay_service}, {101, get_system_display_service},
              {102, get_manager_display_service}, {103, get_relay_service}, {1010, open_display}, {1020, close_display},
              {1102, get_display_resolution}, {2020, open_layer}, {2021, close_layer}, {2030, create_stray_layer},
              {2031, close_layer}, {2101, set_layer_scaling_mode}, {5202, get_display_vsync_event});

/* ISystemDisplayService, IManagerDisplayService: opened at start by libnx; 2205 SetLayerZ and 7000 SetContentVisibility accepted. */
HOS_INTERFACE(system_display_service, "ISystemDisplayService", {2205, ok});
HOS_INTERFACE(manager_display_service, "IManagerDisplayService", {7000, ok});

/* GetDisplayService (vi:u 0, vi:m 2): u32 policy -> IApplicationDisplayService. */
static hos_result get_display_service(hos_object *self, hos_request *request) {
  hos_out_object(request, hos_object_create(&application_display_service, self->service, self->pointer_buffer_size, NULL));
  return HOS_SUCCESS;
}

HOS_INTERFACE(application_root_service, "IApplicationRootService", {0, get_display_service});
HOS_INTERFACE(manager_root_service, "IManagerRootService", {2, get_display_service});

hos_object *hos_vi_open(const char *name) {
  return hos_object_create(strcmp(name, "vi:m") == 0 ? &manager_root_service : &application_root_service, name, 0x1000, NULL);
}
