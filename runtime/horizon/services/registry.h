/*
 * runtime/horizon/services: the services sm hands out, by name. Each service folder provides an
 * open function that returns the object a new session to it serves.
 */
#ifndef HOS_SERVICES_REGISTRY_H
#define HOS_SERVICES_REGISTRY_H

#include "ipc/server.h"

/* The firmware the runtime advertises (loader HosVersion entry, set:sys GetFirmwareVersion). */
#define HOS_FIRMWARE_MAJOR 16u
#define HOS_FIRMWARE_MINOR 0u
#define HOS_FIRMWARE_MICRO 0u

typedef hos_object *(*hos_service_open_fn)(const char *name);

typedef struct hos_service_entry {
  const char *name;
  hos_service_open_fn open;
} hos_service_entry;

/* The object for a new session to service `name`, or NULL when no such service is implemented. */
hos_object *hos_service_open(const char *name);
/* The session to "sm:" (ConnectToNamedPort). */
hos_object *hos_sm_open(void);

hos_object *hos_apm_open(const char *name);
hos_object *hos_applet_oe_open(const char *name);
hos_object *hos_fs_open(const char *name);
hos_object *hos_set_open(const char *name);
hos_object *hos_time_open(const char *name);
hos_object *hos_set_sys_open(const char *name);
hos_object *hos_vi_open(const char *name);
hos_object *hos_nvdrv_open(const char *name);

/* Shorthand for the command tables of the services. */
#define HOS_INTERFACE(variable, interface_name, ...)                                                      \
  static const hos_command variable##_commands[] = {__VA_ARGS__};                                          \
  static const hos_interface variable = {interface_name, variable##_commands, sizeof variable##_commands / sizeof variable##_commands[0]}

#endif
