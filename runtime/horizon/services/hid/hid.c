/*
 * runtime/horizon/services/hid: IHidServer and IAppletResource (hid.h). The npad commands of
 * libnx's padConfigureInput are accepted; the handheld controller is always connected.
 */
#include <string.h>

#include "kernel/kernel.h"
#include "memory.h"
#include "services.h"
#include "services/hid/hid.h"
#include "services/registry.h"

#define STYLE_HANDHELD 0x2u            /* HidNpadStyleTag_NpadHandheld */
#define DEVICE_HANDHELD 0x6u           /* HidDeviceTypeBits_HandheldLeft | HandheldRight */
#define ATTRIBUTES_CONNECTED_WIRED 0x3Fu /* IsConnected, IsWired, left/right connected and wired */

static struct {
  hos_shared_memory *memory;
  uint64_t sampling_number;
} hid;

static void put(uint8_t *at, uint64_t value, unsigned size) {
  for (unsigned i = 0; i < size; i++) at[i] = (uint8_t)(value >> (8 * i));
}

static uint8_t *handheld(void) { return hid.memory->host + HID_NPAD_OFFSET + HID_NPAD_HANDHELD_ENTRY * HID_NPAD_ENTRY_SIZE; }

void hos_hid_update(void) {
  if (hid.memory == NULL) return;
  uint8_t *npad = handheld(), *lifo = npad + HID_NPAD_HANDHELD_LIFO;
  uint64_t tail = (hid.sampling_number) % HID_LIFO_ENTRIES;
  uint8_t *entry = lifo + HID_LIFO_STORAGE + tail * HID_LIFO_ENTRY_SIZE;
  recomp_input_state input = recomp_read_input();
  memset(entry, 0, HID_LIFO_ENTRY_SIZE);
  put(entry, hid.sampling_number, 8);
  put(entry + 8, hid.sampling_number, 8);
  put(entry + 16, input.buttons, 8);
  put(entry + 24, (uint32_t)input.stick_l_x, 4);
  put(entry + 28, (uint32_t)input.stick_l_y, 4);
  put(entry + 32, (uint32_t)input.stick_r_x, 4);
  put(entry + 36, (uint32_t)input.stick_r_y, 4);
  put(entry + 40, ATTRIBUTES_CONNECTED_WIRED, 4);
  put(lifo + HID_LIFO_BUFFER_COUNT, HID_LIFO_ENTRIES, 8);
  put(lifo + HID_LIFO_TAIL, tail, 8);
  put(lifo + HID_LIFO_COUNT, hid.sampling_number + 1 < HID_LIFO_ENTRIES ? hid.sampling_number + 1 : HID_LIFO_ENTRIES, 8);
  hid.sampling_number++;
}

static void create_shared_memory(void) {
  if (hid.memory != NULL) return;
  hid.memory = hos_shared_memory_create(HID_SHARED_MEMORY_SIZE, HOS_PERM_R);
  hos_kobject_retain(&hid.memory->object); /* hid keeps it for the run */
  uint8_t *npad = handheld();
  put(npad + HID_NPAD_STYLE_SET, STYLE_HANDHELD, 4);
  put(npad + HID_NPAD_JOY_ASSIGNMENT, 0, 4); /* Dual */
  put(npad + HID_NPAD_DEVICE_TYPE, DEVICE_HANDHELD, 4);
  hos_hid_update();
}

static hos_result get_shared_memory_handle(hos_object *self, hos_request *request) {
  (void)self;
  create_shared_memory();
  uint32_t handle = hos_handle_create(&hid.memory->object);
  if (handle == 0) return KERN_OUT_OF_HANDLES;
  hos_out_copy_handle(request, handle);
  return HOS_SUCCESS;
}

HOS_INTERFACE(applet_resource, "IAppletResource", {0, get_shared_memory_handle});

static hos_result create_applet_resource(hos_object *self, hos_request *request) {
  hos_out_object(request, hos_object_create(&applet_resource, self->service, 0, NULL));
  return HOS_SUCCESS;
}

static hos_result accept(hos_object *self, hos_request *request) {
  (void)self;
  (void)request;
  return HOS_SUCCESS;
}

/* SetSupportedNpadIdType: the ids come in an X buffer of u32s; it must be readable guest memory. */
static hos_result set_supported_npad_id_type(hos_object *self, hos_request *request) {
  (void)self;
  hos_guest(request, hos_pointer_in(request, 0), RT_READ);
  return HOS_SUCCESS;
}

/* 100 SetSupportedNpadStyleSet, 103 ActivateNpad, 109 ActivateNpadWithRevision: accepted (one handheld controller). */
HOS_INTERFACE(hid_server, "IHidServer", {0, create_applet_resource}, {100, accept}, {102, set_supported_npad_id_type},
              {103, accept}, {109, accept});

hos_object *hos_hid_open(const char *name) { return hos_object_create(&hid_server, name, 0x1000, NULL); }
