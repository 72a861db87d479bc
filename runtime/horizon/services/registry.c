/* runtime/horizon/services: the registry of services by name, in the order the issue lists them. */
#include <string.h>

#include "services/audio/audio.h"
#include "services/hid/hid.h"
#include "services/registry.h"

static const hos_service_entry services[] = {
    {"apm", hos_apm_open},
    {"audout:u", hos_audout_open},
    {"audren:u", hos_audren_open},
    {"appletOE", hos_applet_oe_open},
    {"fsp-srv", hos_fs_open},
    {"hid", hos_hid_open},
    {"nvdrv", hos_nvdrv_open},
    {"set", hos_set_open},
    {"set:sys", hos_set_sys_open},
    {"time:u", hos_time_open},
    {"vi:m", hos_vi_open},
    {"vi:u", hos_vi_open},
};

hos_object *hos_service_open(const char *name) {
  for (size_t i = 0; i < sizeof services / sizeof services[0]; i++) {
    if (strcmp(services[i].name, name) == 0) return services[i].open(services[i].name);
  }
  return NULL;
}
