/*
 * runtime/horizon/services/applet: "appletOE" (IApplicationProxyService) and the
 * IApplicationProxy sub-interfaces an application opens at start (libnx applet.c). The applet
 * is in focus from the start, handheld, with no message pending, so libnx's start-up sequence
 * runs straight through; the message event stays unsignalled.
 */
#include "kernel/kernel.h"
#include "services/registry.h"

/* The applet resource user id (ARUID) hid and vi take with it: the process id, as on the console. */
#define APPLET_RESOURCE_USER_ID HOS_PROCESS_ID
/* AM's "no message" (module 128, description 3). */
#define AM_NO_MESSAGE HOS_MAKE_RESULT(128, 3)

static struct {
  hos_event *message_event, *suspended_tick_event;
  uint64_t next_layer_id;
} applet = {NULL, NULL, 1};

static hos_result ok(hos_object *self, hos_request *request) {
  (void)self;
  (void)request;
  return HOS_SUCCESS;
}

static hos_result copy_event(hos_request *request, hos_event **event, const char *name) {
  if (*event == NULL) *event = hos_event_create(name);
  uint32_t handle = hos_event_readable_handle(*event);
  if (handle == 0) return KERN_OUT_OF_HANDLES;
  hos_out_copy_handle(request, handle);
  return HOS_SUCCESS;
}

static hos_result get_event_handle(hos_object *self, hos_request *request) {
  (void)self;
  return copy_event(request, &applet.message_event, "appletOE message event");
}

static hos_result receive_message(hos_object *self, hos_request *request) {
  (void)self;
  (void)request;
  return AM_NO_MESSAGE;
}

/* OperationMode: 0 handheld; PerformanceMode: 0 normal; FocusState: 1 in focus. */
static hos_result get_operation_mode(hos_object *self, hos_request *request) {
  (void)self;
  hos_out_u8(request, 0);
  return HOS_SUCCESS;
}

static hos_result get_performance_mode(hos_object *self, hos_request *request) {
  (void)self;
  hos_out_u32(request, 0);
  return HOS_SUCCESS;
}

static hos_result get_current_focus_state(hos_object *self, hos_request *request) {
  (void)self;
  hos_out_u8(request, 1);
  return HOS_SUCCESS;
}

HOS_INTERFACE(common_state_getter, "ICommonStateGetter", {0, get_event_handle}, {1, receive_message}, {5, get_operation_mode},
              {6, get_performance_mode}, {9, get_current_focus_state});

/* The layer vi:m opens next (OpenLayer takes this id). */
static hos_result create_managed_display_layer(hos_object *self, hos_request *request) {
  (void)self;
  hos_out_u64(request, applet.next_layer_id++);
  return HOS_SUCCESS;
}

static hos_result get_accumulated_suspended_tick_changed_event(hos_object *self, hos_request *request) {
  (void)self;
  return copy_event(request, &applet.suspended_tick_event, "appletOE suspended-tick event");
}

/* 11, 12: Set(Operation|Performance)ModeChangedNotification; 13: SetFocusHandlingMode; 16: SetOutOfFocusSuspendingEnabled. */
HOS_INTERFACE(self_controller, "ISelfController", {11, ok}, {12, ok}, {13, ok}, {16, ok}, {40, create_managed_display_layer},
              {91, get_accumulated_suspended_tick_changed_event});

static hos_result get_applet_resource_user_id(hos_object *self, hos_request *request) {
  (void)self;
  hos_out_u64(request, APPLET_RESOURCE_USER_ID);
  return HOS_SUCCESS;
}

/* 10: AcquireForegroundRights. */
HOS_INTERFACE(window_controller, "IWindowController", {1, get_applet_resource_user_id}, {10, ok});

static hos_result notify_running(hos_object *self, hos_request *request) {
  (void)self;
  hos_out_u8(request, 0);
  return HOS_SUCCESS;
}

HOS_INTERFACE(application_functions, "IApplicationFunctions", {40, notify_running});

/* Opened at start and kept; none of their commands is needed yet, so each is a fault naming it. */
static const hos_interface audio_controller = {"IAudioController", NULL, 0};
static const hos_interface display_controller = {"IDisplayController", NULL, 0};
static const hos_interface library_applet_creator = {"ILibraryAppletCreator", NULL, 0};
static const hos_interface debug_functions = {"IDebugFunctions", NULL, 0};

#define OPEN_SUB_INTERFACE(function, interface)                                           \
  static hos_result function(hos_object *self, hos_request *request) {                  \
    hos_out_object(request, hos_object_create(&interface, self->service, 0, NULL));      \
    return HOS_SUCCESS;                                                                  \
  }
OPEN_SUB_INTERFACE(get_common_state_getter, common_state_getter)
OPEN_SUB_INTERFACE(get_self_controller, self_controller)
OPEN_SUB_INTERFACE(get_window_controller, window_controller)
OPEN_SUB_INTERFACE(get_audio_controller, audio_controller)
OPEN_SUB_INTERFACE(get_display_controller, display_controller)
OPEN_SUB_INTERFACE(get_library_applet_creator, library_applet_creator)
OPEN_SUB_INTERFACE(get_application_functions, application_functions)
OPEN_SUB_INTERFACE(get_debug_functions, debug_functions)

HOS_INTERFACE(application_proxy, "IApplicationProxy", {0, get_common_state_getter}, {1, get_self_controller},
              {2, get_window_controller}, {3, get_audio_controller}, {4, get_display_controller}, {11, get_library_applet_creator},
              {20, get_application_functions}, {1000, get_debug_functions});

/* OpenApplicationProxy(pid, copy handle of the process): one proxy per call. */
static hos_result open_application_proxy(hos_object *self, hos_request *request) {
  if (hos_in_copy_handle(request, 0) != HOS_CURRENT_PROCESS) return KERN_INVALID_HANDLE;
  hos_out_object(request, hos_object_create(&application_proxy, self->service, 0, NULL));
  return HOS_SUCCESS;
}

HOS_INTERFACE(application_proxy_service, "IApplicationProxyService", {0, open_application_proxy});

hos_object *hos_applet_oe_open(const char *name) { return hos_object_create(&application_proxy_service, name, 0, NULL); }
