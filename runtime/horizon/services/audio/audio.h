/*
 * runtime/horizon/services/audio: audout:u, the audio output libnx's audout.c drives. One device,
 * "DeviceOut", 48 kHz stereo PCM16, mixed straight into the audio capture on virtual time: at
 * each presented frame the output plays up to that frame's time (silence when nothing is
 * queued), and when every thread waits it plays its next buffer to the end, so a thread waiting
 * for a released buffer wakes as on a console.
 */
#ifndef HOS_SERVICES_AUDIO_H
#define HOS_SERVICES_AUDIO_H

#include "ipc/server.h"

hos_object *hos_audout_open(const char *name);
/* Plays the output up to the current virtual time (called once per presented frame). */
void hos_audio_frame(void);

#endif
