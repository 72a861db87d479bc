/*
 * runtime/horizon/services/apm: performance configuration (IManager and ISession). The mode
 * follows title.toml's performance_mode via the options; configurations are remembered per mode.
 */
#include "services/registry.h"

/* ApmPerformanceMode: 0 normal (handheld), 1 boost (docked). */
static uint32_t performance_mode;
static uint32_t configuration[2] = {0x00010000u, 0x00020003u}; /* the defaults of the two modes */

static hos_result set_performance_configuration(hos_object *self, hos_request *request) {
  (void)self;
  uint32_t mode = hos_in_u32(request, 0);
  if (mode > 1) return HOS_MAKE_RESULT(148, 1); /* apm InvalidParameter */
  configuration[mode] = hos_in_u32(request, 4);
  return HOS_SUCCESS;
}

static hos_result get_performance_configuration(hos_object *self, hos_request *request) {
  (void)self;
  uint32_t mode = hos_in_u32(request, 0);
  if (mode > 1) return HOS_MAKE_RESULT(148, 1);
  hos_out_u32(request, configuration[mode]);
  return HOS_SUCCESS;
}

HOS_INTERFACE(session, "ISession", {0, set_performance_configuration}, {1, get_performance_configuration});

static hos_result open_session(hos_object *self, hos_request *request) {
  hos_out_object(request, hos_object_create(&session, self->service, 0, NULL));
  return HOS_SUCCESS;
}

static hos_result get_performance_mode(hos_object *self, hos_request *request) {
  (void)self;
  hos_out_u32(request, performance_mode);
  return HOS_SUCCESS;
}

HOS_INTERFACE(manager, "IManager", {0, open_session}, {1, get_performance_mode});

hos_object *hos_apm_open(const char *name) { return hos_object_create(&manager, name, 0, NULL); }
