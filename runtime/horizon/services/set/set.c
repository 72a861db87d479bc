/*
 * runtime/horizon/services/set: settings: "set" (ISettingsServer: language and region) and
 * "set:sys" (ISystemSettingsServer: the firmware version the runtime advertises).
 */
#include <string.h>

#include "memory.h"
#include "services/registry.h"

/* "en-US" as the 8-byte language code libnx compares against its table. */
static const uint64_t language_code = 0x53552D6E65ull;
/* SetRegion_USA */
static const uint32_t region_code = 1;

static hos_result get_language_code(hos_object *self, hos_request *request) {
  (void)self;
  hos_out_u64(request, language_code);
  return HOS_SUCCESS;
}

/* GetAvailableLanguageCodes (1: A buffer) and GetAvailableLanguageCodes2 (5: B buffer): one language. */
static hos_result get_available_language_codes(hos_object *self, hos_request *request) {
  (void)self;
  hos_guest_buffer out = hos_buffer_out(request, 0);
  uint8_t *codes = hos_guest(request, out, RT_WRITE);
  if (out.size >= 8) memcpy(codes, &language_code, 8);
  hos_out_u32(request, 1);
  return HOS_SUCCESS;
}

static hos_result get_available_language_code_count(hos_object *self, hos_request *request) {
  (void)self;
  hos_out_u32(request, 1);
  return HOS_SUCCESS;
}

static hos_result get_region_code(hos_object *self, hos_request *request) {
  (void)self;
  hos_out_u32(request, region_code);
  return HOS_SUCCESS;
}

HOS_INTERFACE(settings_server, "ISettingsServer", {0, get_language_code}, {3, get_available_language_code_count},
              {4, get_region_code}, {5, get_available_language_codes}, {6, get_available_language_code_count});

hos_object *hos_set_open(const char *name) { return hos_object_create(&settings_server, name, 0, NULL); }

/* SetSysFirmwareVersion (0x100 bytes) into the C buffer; 3 zeroes the revision, 4 (GetFirmwareVersion2) keeps it. */
static hos_result write_firmware_version(hos_request *request, int keep_revision) {
  uint8_t version[0x100] = {0};
  version[0] = HOS_FIRMWARE_MAJOR;
  version[1] = HOS_FIRMWARE_MINOR;
  version[2] = HOS_FIRMWARE_MICRO;
  version[4] = keep_revision ? 1 : 0;
  memcpy(version + 0x08, "NX", 2);
  memcpy(version + 0x68, "16.0.0", 6);
  memcpy(version + 0x80, "NintendoSDK Firmware for NX 16.0.0-1.0", 38);
  hos_guest_buffer out = hos_pointer_out(request, 0);
  if (out.size < sizeof version) return HOS_MAKE_RESULT(10, 413); /* sf: buffer too small */
  memcpy(hos_guest(request, (hos_guest_buffer){out.address, sizeof version}, RT_WRITE), version, sizeof version);
  return HOS_SUCCESS;
}

static hos_result get_firmware_version(hos_object *self, hos_request *request) {
  (void)self;
  return write_firmware_version(request, 0);
}

static hos_result get_firmware_version2(hos_object *self, hos_request *request) {
  (void)self;
  return write_firmware_version(request, 1);
}

HOS_INTERFACE(system_settings_server, "ISystemSettingsServer", {3, get_firmware_version}, {4, get_firmware_version2});

hos_object *hos_set_sys_open(const char *name) { return hos_object_create(&system_settings_server, name, 0x1000, NULL); }
