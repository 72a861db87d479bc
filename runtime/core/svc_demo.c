/*
 * runtime/core: the demo personality: the demo's private svc numbers of docs/svc-abi.md, guest pointers checked
 * against the region map and turned into host pointers, then the services API is called.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program.h"
#include "services.h"
#include "svc_log.h"

int rt_personality_init(int argc, char **argv) { return recomp_services_init(argc, argv); }

uint64_t rt_counter(void) { return recomp_get_system_tick(); }
uint64_t rt_counter_frequency(void) { return RECOMP_TICK_FREQUENCY; }

/* sp at the top of the stack region, x30 = 0; the entry returning ends the run as svcExitProcess. */
int rt_personality_run(void) {
  static recomp_cpu cpu;
  cpu.sp = rt_stack_top;
  rt_fp_guest_enter(&cpu);
  rt_entry(&cpu);
  recomp_exit_process();
}

static uint32_t present_frame(recomp_cpu *cpu, uint64_t pc) {
  uint32_t width = (uint32_t)cpu->x[1], height = (uint32_t)cpu->x[2], stride = (uint32_t)cpu->x[3];
  if (width == 0 || height == 0 || width > RECOMP_MAX_FRAME_DIMENSION || height > RECOMP_MAX_FRAME_DIMENSION ||
      stride < width * 4) {
    return RECOMP_RESULT_INVALID_SIZE;
  }
  uint64_t bytes = (uint64_t)stride * (height - 1) + (uint64_t)width * 4;
  return recomp_present_frame(rt_host(cpu->x[0], bytes, RT_READ, pc), width, height, stride);
}

static uint32_t submit_audio(recomp_cpu *cpu, uint64_t pc) {
  uint64_t frames = cpu->x[1];
  if (frames == 0 || frames > RECOMP_MAX_AUDIO_FRAMES_PER_CALL) return recomp_submit_audio(NULL, frames);
  /* The guest buffer may be unaligned: copy it into aligned host memory (one memcpy on a little-endian host). */
  const uint8_t *bytes = rt_host(cpu->x[0], frames * 4, RT_READ, pc);
  static int16_t samples[RECOMP_MAX_AUDIO_FRAMES_PER_CALL * 2];
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  memcpy(samples, bytes, frames * 4);
#else
  for (uint64_t i = 0; i < frames * 2; i++) samples[i] = (int16_t)(uint16_t)(bytes[2 * i] | bytes[2 * i + 1] << 8);
#endif
  return recomp_submit_audio(samples, frames);
}

/* The demo's calls by number: name, argument and result registers (docs/svc-abi.md). */
typedef struct demo_svc {
  uint32_t number;
  const char *name;
  unsigned args, results;
} demo_svc;

static const demo_svc demo_svcs[] = {
    {RECOMP_SVC_EXIT_PROCESS, "ExitProcess", 0, 0},
    {RECOMP_SVC_SLEEP_THREAD, "SleepThread", RT_X(0), 0},
    {RECOMP_SVC_GET_SYSTEM_TICK, "GetSystemTick", 0, RT_X(0)},
    {RECOMP_SVC_OUTPUT_DEBUG_STRING, "OutputDebugString", RT_X(0) | RT_X(1), RT_X(0)},
    {RECOMP_SVC_PRESENT_FRAME, "PresentFrame", RT_X(0) | RT_X(1) | RT_X(2) | RT_X(3), RT_X(0)},
    {RECOMP_SVC_SUBMIT_AUDIO, "SubmitAudio", RT_X(0) | RT_X(1), RT_X(0)},
    {RECOMP_SVC_READ_INPUT, "ReadInput", 0, RT_X(0) | RT_X(1) | RT_X(2)},
};

static void serve(recomp_cpu *cpu, uint32_t imm, uint64_t pc) {
  switch (imm) {
    case RECOMP_SVC_EXIT_PROCESS:
      recomp_exit_process();
    case RECOMP_SVC_SLEEP_THREAD:
      recomp_sleep_thread((int64_t)cpu->x[0]);
      return;
    case RECOMP_SVC_GET_SYSTEM_TICK:
      cpu->x[0] = recomp_get_system_tick();
      return;
    case RECOMP_SVC_OUTPUT_DEBUG_STRING: {
      uint64_t size = cpu->x[1];
      const char *text = size == 0 ? NULL : (const char *)rt_host(cpu->x[0], size, RT_READ, pc);
      cpu->x[0] = recomp_output_debug_string(text, size);
      return;
    }
    case RECOMP_SVC_PRESENT_FRAME:
      cpu->x[0] = present_frame(cpu, pc);
      return;
    case RECOMP_SVC_SUBMIT_AUDIO:
      cpu->x[0] = submit_audio(cpu, pc);
      return;
    default: { /* RECOMP_SVC_READ_INPUT: rt_svc serves only the numbers of the table */
      recomp_input_state input = recomp_read_input();
      cpu->x[0] = input.buttons;
      cpu->x[1] = recomp_pack_stick(input.stick_l_x, input.stick_l_y);
      cpu->x[2] = recomp_pack_stick(input.stick_r_x, input.stick_r_y);
      return;
    }
  }
}

void rt_svc(recomp_cpu *cpu, uint32_t imm, uint64_t pc) {
  for (size_t i = 0; i < sizeof demo_svcs / sizeof demo_svcs[0]; i++) {
    const demo_svc *svc = &demo_svcs[i];
    if (svc->number != imm) continue;
    rt_svc_call call;
    rt_svc_log_before(&call, cpu, imm, svc->name, svc->args);
    /* ExitProcess does not return: its line goes first. */
    if (imm == RECOMP_SVC_EXIT_PROCESS) rt_svc_log_after(&call, cpu, 0);
    serve(cpu, imm, pc);
    rt_svc_log_after(&call, cpu, svc->results);
    return;
  }
  fprintf(stderr, "fault: unknown svc #0x%" PRIx32 " (instruction at 0x%" PRIx64 ")\n", imm, pc);
  recomp_services_finish();
  exit(3);
}
