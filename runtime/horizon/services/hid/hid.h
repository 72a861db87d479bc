/*
 * runtime/horizon/services/hid: the input service. Its 0x40000-byte shared memory has libnx's
 * HidSharedMemory layout (services/hid.h); the runtime shows one handheld controller
 * (HidNpadIdType_Handheld) whose state comes from the replay script each frame.
 */
#ifndef HOS_SERVICES_HID_H
#define HOS_SERVICES_HID_H

#include "ipc/server.h"

#define HID_SHARED_MEMORY_SIZE 0x40000u
/* Offsets in HidSharedMemory, measured from libnx's headers (offsetof/sizeof, AArch64). */
#define HID_NPAD_OFFSET 0x9A00u            /* HidSharedMemory.npad */
#define HID_NPAD_ENTRY_SIZE 0x5000u        /* sizeof(HidNpadSharedMemoryEntry) */
#define HID_NPAD_HANDHELD_ENTRY 8u         /* npad.entries[8] is HidNpadIdType_Handheld */
#define HID_NPAD_STYLE_SET 0x0u            /* HidNpadInternalState.style_set */
#define HID_NPAD_JOY_ASSIGNMENT 0x4u       /* .joy_assignment_mode */
#define HID_NPAD_HANDHELD_LIFO 0x378u      /* .handheld_lifo (HidNpadCommonLifo, 0x350 bytes) */
#define HID_NPAD_DEVICE_TYPE 0x4188u       /* .device_type */
#define HID_LIFO_BUFFER_COUNT 0x8u         /* HidCommonLifoHeader.buffer_count */
#define HID_LIFO_TAIL 0x10u                /* .tail */
#define HID_LIFO_COUNT 0x18u               /* .count */
#define HID_LIFO_STORAGE 0x20u             /* HidNpadCommonLifo.storage[17] */
#define HID_LIFO_ENTRIES 17u
#define HID_LIFO_ENTRY_SIZE 0x30u          /* HidNpadCommonStateAtomicStorage: sampling number, then the state */
/* HidNpadCommonState at +8 of an entry: sampling_number +0, buttons +8, sticks +16/+24, attributes +32. */

hos_object *hos_hid_open(const char *name);
/* Writes the current replay input as the next npad sample (called once per presented frame). */
void hos_hid_update(void);

#endif
