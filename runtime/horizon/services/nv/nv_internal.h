/* runtime/horizon/services/nv: what the device files share with the service (not used elsewhere). */
#ifndef HOS_SERVICES_NV_INTERNAL_H
#define HOS_SERVICES_NV_INTERNAL_H

#include <stdint.h>

#include "ipc/server.h"

/* NvError values the driver answers in its u32 error word (libnx's nvConvertError). */
#define NV_SUCCESS 0u
#define NV_ERROR_NOT_SUPPORTED 1u
#define NV_ERROR_BAD_VALUE 4u
#define NV_ERROR_INSUFFICIENT_MEMORY 0xAu
#define NV_ERROR_FILE_OPERATION_FAILED 0x30003u

/*
 * A device's ioctl on the argument bytes (in and out in place, the size _NV_IOC_SIZE gives).
 * Returns 0 when the device has no such request (the service then faults naming it).
 */
int nvmap_ioctl(uint32_t request_code, uint8_t *args, const hos_request *request, uint32_t *error);

#endif
