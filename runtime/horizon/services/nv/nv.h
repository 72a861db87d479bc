/*
 * runtime/horizon/services/nv: "nvdrv" (INvDrvServices), the GPU driver's device files as libnx's
 * framebuffer path uses them: /dev/nvmap (memory handles over guest memory) and /dev/nvhost-ctrl
 * (syncpoint events). vi's binder finds a surface's memory through its nvmap id.
 */
#ifndef HOS_SERVICES_NV_H
#define HOS_SERVICES_NV_H

#include <stdint.h>

#include "ipc/server.h"


/* The guest memory behind nvmap object `id` (NVMAP_IOC_GET_ID's id); 0 when no allocated object has it. */
int hos_nvmap_find(uint32_t id, uint64_t *address, uint64_t *size);

#endif
