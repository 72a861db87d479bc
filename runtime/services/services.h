/*
 * runtime/services: the host side of the runtime service ABI (docs/svc-abi.md).
 *
 * All pointers are host pointers: the svc dispatcher of the runtime core has already checked
 * the guest range against the region map and translated it. The native reference build of the
 * demo calls these functions directly. Time is virtual (advances per presented frame), input
 * comes from a replay file, and capture writes PPM/PNG frames, a WAV file and a JSONL replay
 * log (docs/runtime-services.md). Single-threaded by design.
 */
#ifndef RECOMP_SERVICES_H
#define RECOMP_SERVICES_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* svc immediates: Horizon numbers where Horizon has the service, then the private range. */
#define RECOMP_SVC_EXIT_PROCESS 0x07u
#define RECOMP_SVC_SLEEP_THREAD 0x0Bu
#define RECOMP_SVC_GET_SYSTEM_TICK 0x1Eu
#define RECOMP_SVC_OUTPUT_DEBUG_STRING 0x27u
#define RECOMP_SVC_PRESENT_FRAME 0xF000u
#define RECOMP_SVC_SUBMIT_AUDIO 0xF001u
#define RECOMP_SVC_READ_INPUT 0xF002u

/* Horizon Result values the services return (0 = success). */
#define RECOMP_RESULT_SUCCESS 0u
#define RECOMP_RESULT_INVALID_SIZE 0xCA01u
#define RECOMP_RESULT_INVALID_POINTER 0xCC01u

#define RECOMP_TICK_FREQUENCY 19200000u
#define RECOMP_MAX_FRAME_DIMENSION 4096u
#define RECOMP_AUDIO_SAMPLE_RATE 48000u
#define RECOMP_AUDIO_CHANNELS 2u
#define RECOMP_MAX_AUDIO_FRAMES_PER_CALL 48000u

/* Buttons: Horizon's HidNpadButton bit layout. */
#define RECOMP_BUTTON_A (1u << 0)
#define RECOMP_BUTTON_B (1u << 1)
#define RECOMP_BUTTON_X (1u << 2)
#define RECOMP_BUTTON_Y (1u << 3)
#define RECOMP_BUTTON_STICK_L (1u << 4)
#define RECOMP_BUTTON_STICK_R (1u << 5)
#define RECOMP_BUTTON_L (1u << 6)
#define RECOMP_BUTTON_R (1u << 7)
#define RECOMP_BUTTON_ZL (1u << 8)
#define RECOMP_BUTTON_ZR (1u << 9)
#define RECOMP_BUTTON_PLUS (1u << 10)
#define RECOMP_BUTTON_MINUS (1u << 11)
#define RECOMP_BUTTON_LEFT (1u << 12)
#define RECOMP_BUTTON_UP (1u << 13)
#define RECOMP_BUTTON_RIGHT (1u << 14)
#define RECOMP_BUTTON_DOWN (1u << 15)

/* Input state of the current frame (what ReadInput returns in x0, x1, x2). */
typedef struct recomp_input_state {
  uint64_t buttons;
  int32_t stick_l_x, stick_l_y, stick_r_x, stick_r_y;
} recomp_input_state;

/* ReadInput's stick register: X in bits 0-31, Y in bits 32-63. */
static inline uint64_t recomp_pack_stick(int32_t x, int32_t y) {
  return (uint64_t)(uint32_t)x | ((uint64_t)(uint32_t)y << 32);
}

/*
 * Reads options from argv (--capture-dir, --replay, ...) and the environment, opens the replay
 * file and the capture outputs. Unrecognised arguments are an error. Returns 0, or the process
 * exit code to use (2 = bad option or replay file; the message is already on stderr).
 */
int recomp_services_init(int argc, char **argv);

/* PresentFrame (0xF000): RGBA8888 pixels, stride in bytes. Advances virtual time one frame. */
uint32_t recomp_present_frame(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t stride);

/* SubmitAudio (0xF001): s16le stereo interleaved, 48 kHz; `sample_frames` L+R pairs. */
uint32_t recomp_submit_audio(const int16_t *samples, uint64_t sample_frames);

/* ReadInput (0xF002): the input state of the frame being drawn. */
recomp_input_state recomp_read_input(void);

/* svcSleepThread (0x0B): returns at once; virtual time moves only on present. */
void recomp_sleep_thread(int64_t nanoseconds);

/* svcGetSystemTick (0x1E) and cntvct_el0: virtual ticks at RECOMP_TICK_FREQUENCY. */
uint64_t recomp_get_system_tick(void);

/* svcOutputDebugString (0x27): `size` bytes (not NUL-terminated) to stderr and the replay log. */
uint32_t recomp_output_debug_string(const char *text, uint64_t size);

/* One served IPC request: the service object, its command, the raw data sent and answered, and the result. */
typedef struct recomp_ipc_call {
  const char *service, *interface;
  uint32_t command, result;
  const uint8_t *in, *out;
  uint32_t in_size, out_size; /* at most the 0x100-byte message: the log stays bounded */
} recomp_ipc_call;

/* One served IPC request (horizon personality) as an "ipc" line of the replay log. */
void recomp_log_ipc(const recomp_ipc_call *call);

/*
 * One service call as a "svc" line of the replay log: its number and name, the argument registers it read
 * ("x0=0x1 x2=0x8") and the result registers it wrote (empty for a call that does not return).
 */
void recomp_log_svc(uint32_t number, const char *name, const char *args, const char *results);

/* Whether the replay log is written: callers need not format its lines otherwise. */
int recomp_log_open(void);

/* The frame about to be presented (horizon personality) as a "frame" line of the replay log. */
void recomp_log_frame(void);

/* Flushes and closes every capture output. Returns 0, or 3 when a write failed. Idempotent. */
int recomp_services_finish(void);

/* svcExitProcess (0x07): recomp_services_finish(), then exits the process with its status. */
_Noreturn void recomp_exit_process(void);

/* Frames presented so far (= the number of the frame being drawn). */
uint64_t recomp_frame_index(void);

#ifdef __cplusplus
}
#endif

#endif
