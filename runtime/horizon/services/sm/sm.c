/*
 * runtime/horizon/services/sm: the service manager (IUserInterface) behind the "sm:" port.
 * libnx calls RegisterClient (0) and GetServiceHandle (1) through CMIF on every firmware version.
 */
#include <stdio.h>

#include "services/registry.h"

static hos_result register_client(hos_object *self, hos_request *request) {
  (void)self;
  (void)request;
  return HOS_SUCCESS;
}

/* The name is 8 bytes, NUL-padded (SmServiceName). */
static hos_result get_service_handle(hos_object *self, hos_request *request) {
  (void)self;
  char name[9] = {0};
  for (uint32_t i = 0; i < 8; i++) name[i] = (char)hos_in_u8(request, i);
  hos_object *service = hos_service_open(name);
  if (service == NULL) {
    char problem[64];
    snprintf(problem, sizeof problem, "asks for service \"%s\", which is not implemented", name);
    hos_request_fault(request, problem);
  }
  hos_out_object(request, service);
  return HOS_SUCCESS;
}

HOS_INTERFACE(user_interface, "IUserInterface", {0, register_client}, {1, get_service_handle});

hos_object *hos_sm_open(void) { return hos_object_create(&user_interface, "sm:", 0, NULL); }
