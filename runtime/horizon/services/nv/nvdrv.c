/*
 * runtime/horizon/services/nv: INvDrvServices ("nvdrv"), commands as libnx's services/nv.c sends
 * them. Device files are opened by path; an ioctl's argument travels in libnx's auto-select
 * buffers (in and out, same size) and the driver's error comes back as a u32 beside the Result.
 * nvhost-ctrl has no ioctl here: libnx's framebuffer path only waits on fences, and the fences
 * this runtime hands out are empty (the CPU drew the frame, nothing is pending on the GPU).
 */
#include <stdio.h>
#include <string.h>

#include "memory.h"
#include "kernel/kernel.h"
#include "services/nv/nv.h"
#include "services/nv/nv_internal.h"
#include "services/registry.h"

#define NV_MAX_FILES 32u
#define NV_MAX_ARGS 0x1000u

typedef enum { NV_DEVICE_NONE, NV_DEVICE_NVMAP, NV_DEVICE_NVHOST_CTRL } nv_device;

static const struct {
  const char *path;
  nv_device device;
} devices[] = {{"/dev/nvmap", NV_DEVICE_NVMAP}, {"/dev/nvhost-ctrl", NV_DEVICE_NVHOST_CTRL}};

static nv_device files[NV_MAX_FILES]; /* fd n is files[n]; fd 0 stays unused (libnx treats 0 as none) */

static uint32_t out_error(hos_request *request, uint32_t error) {
  hos_out_u32(request, error);
  return HOS_SUCCESS;
}

/* Open (0): the path in an A buffer (not NUL-terminated) -> {u32 fd, u32 error}. */
static hos_result open_device(hos_object *self, hos_request *request) {
  (void)self;
  hos_guest_buffer path = hos_buffer_in(request, 0);
  char name[64] = "";
  if (path.size >= sizeof name) hos_request_fault(request, "names a device path longer than 63 bytes");
  if (path.size > 0) memcpy(name, hos_guest(request, path, RT_READ), path.size);
  nv_device device = NV_DEVICE_NONE;
  for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++) {
    if (strcmp(devices[i].path, name) == 0) device = devices[i].device;
  }
  if (device == NV_DEVICE_NONE) {
    char problem[128];
    snprintf(problem, sizeof problem, "opens device \"%s\", which is not implemented", name);
    hos_request_fault(request, problem);
  }
  for (uint32_t fd = 1; fd < NV_MAX_FILES; fd++) {
    if (files[fd] == NV_DEVICE_NONE) {
      files[fd] = device;
      hos_out_u32(request, fd);
      return out_error(request, NV_SUCCESS);
    }
  }
  hos_out_u32(request, 0);
  return out_error(request, NV_ERROR_FILE_OPERATION_FAILED);
}

static nv_device device_of(uint32_t fd) { return fd < NV_MAX_FILES ? files[fd] : NV_DEVICE_NONE; }

/* Ioctl (1): {u32 fd, u32 request} with the argument in auto buffers -> u32 error. */
static hos_result ioctl_device(hos_object *self, hos_request *request) {
  (void)self;
  uint32_t fd = hos_in_u32(request, 0), code = hos_in_u32(request, 4);
  nv_device device = device_of(fd);
  if (device == NV_DEVICE_NONE) return out_error(request, NV_ERROR_BAD_VALUE);
  uint32_t size = (code >> 16) & 0x3FFF;
  hos_guest_buffer in = hos_auto_in(request, 0, 0), out = hos_auto_out(request, 0, 0);
  if (size > NV_MAX_ARGS || ((code >> 30) & 1 && in.size < size) || ((code >> 31) & 1 && out.size < size)) {
    return out_error(request, NV_ERROR_BAD_VALUE);
  }
  uint8_t args[NV_MAX_ARGS] = {0};
  if ((code >> 30) & 1) memcpy(args, hos_guest(request, (hos_guest_buffer){in.address, size}, RT_READ), size);
  uint32_t error = NV_SUCCESS;
  int known = device == NV_DEVICE_NVMAP && nvmap_ioctl(code, args, request, &error);
  if (!known) {
    char problem[128];
    snprintf(problem, sizeof problem, "sends ioctl 0x%08x to %s, which is not implemented", code,
             device == NV_DEVICE_NVMAP ? "/dev/nvmap" : "/dev/nvhost-ctrl");
    hos_request_fault(request, problem);
  }
  if ((code >> 31) & 1) memcpy(hos_guest(request, (hos_guest_buffer){out.address, size}, RT_WRITE), args, size);
  return out_error(request, error);
}

/* Close (2): u32 fd -> u32 error. */
static hos_result close_device(hos_object *self, hos_request *request) {
  (void)self;
  uint32_t fd = hos_in_u32(request, 0);
  if (device_of(fd) == NV_DEVICE_NONE) return out_error(request, NV_ERROR_BAD_VALUE);
  files[fd] = NV_DEVICE_NONE;
  return out_error(request, NV_SUCCESS);
}

/* Initialize (3): u32 transfer-memory size, copy handles {process, transfer memory}. */
static hos_result initialize(hos_object *self, hos_request *request) {
  (void)self;
  if (hos_in_copy_handle(request, 0) != HOS_CURRENT_PROCESS) return KERN_INVALID_HANDLE;
  hos_kobject *memory = hos_handle_get(hos_in_copy_handle(request, 1), HOS_KIND_TRANSFER_MEMORY);
  if (memory == NULL) return KERN_INVALID_HANDLE;
  if (((hos_transfer_memory *)memory)->size < hos_in_u32(request, 0)) return KERN_INVALID_SIZE;
  return HOS_SUCCESS;
}

/* QueryEvent (4): {u32 fd, u32 event id} -> u32 error and a copy handle (nvhost-ctrl's syncpoint events). */
static hos_result query_event(hos_object *self, hos_request *request) {
  (void)self;
  if (device_of(hos_in_u32(request, 0)) != NV_DEVICE_NVHOST_CTRL) return out_error(request, NV_ERROR_NOT_SUPPORTED);
  uint32_t handle = hos_event_readable_handle(hos_event_create("nvhost-ctrl syncpoint event"));
  if (handle == 0) return KERN_OUT_OF_HANDLES;
  hos_out_copy_handle(request, handle);
  return out_error(request, NV_SUCCESS);
}

/* SetClientPID (8): u64 ARUID with the pid. */
static hos_result set_client_pid(hos_object *self, hos_request *request) {
  (void)self;
  (void)request;
  return HOS_SUCCESS;
}

HOS_INTERFACE(nvdrv_services, "INvDrvServices", {0, open_device}, {1, ioctl_device}, {2, close_device}, {3, initialize}, {4, query_event},
              {8, set_client_pid});

hos_object *hos_nvdrv_open(const char *name) { return hos_object_create(&nvdrv_services, name, 0, NULL); }
