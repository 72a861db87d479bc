/* runtime/horizon/kernel: process, thread-information, IPC-entry and GetInfo SVCs. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ipc/server.h"
#include "kernel/svc.h"
#include "memory.h"
#include "services.h"
#include "services/registry.h"

void svc_exit_process(recomp_cpu *cpu, uint64_t pc) {
  (void)cpu;
  (void)pc;
  recomp_exit_process();
}

void svc_get_system_tick(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  cpu->x[0] = hos_system_tick();
}

/* ConnectToNamedPort(name = x1): only "sm:" is a port an application reaches. */
void svc_connect_to_named_port(recomp_cpu *cpu, uint64_t pc) {
  char name[13] = {0};
  for (uint64_t i = 0; i < 12; i++) {
    name[i] = (char)rt_ld8(cpu->x[1] + i, pc);
    if (name[i] == 0) break;
  }
  if (strcmp(name, "sm:") != 0) hos_fault(pc, "ConnectToNamedPort(\"%s\"): no such port (only \"sm:\")", name);
  uint32_t handle = hos_session_open(hos_sm_open());
  cpu->x[0] = handle == 0 ? KERN_OUT_OF_HANDLES : HOS_SUCCESS;
  cpu->x[1] = handle;
}

/* SendSyncRequest(handle = w0): the message is the 0x100 bytes at the thread's TLS. */
void svc_send_sync_request(recomp_cpu *cpu, uint64_t pc) {
  hos_session *session = (hos_session *)hos_handle_get((uint32_t)cpu->x[0], HOS_KIND_SESSION);
  if (session == NULL) {
    cpu->x[0] = KERN_INVALID_HANDLE;
    return;
  }
  uint8_t *message = rt_host(cpu->tpidrro_el0, HIPC_MESSAGE_SIZE, RT_READ | RT_WRITE, pc);
  cpu->x[0] = hos_session_serve(session, message, pc);
}

void svc_get_process_id(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  cpu->x[0] = (uint32_t)cpu->x[1] == HOS_CURRENT_PROCESS ? HOS_SUCCESS : KERN_INVALID_HANDLE;
  cpu->x[1] = HOS_PROCESS_ID;
}

/* Break(reason = w0, info = x1, size = x2): libnx's diagAbortWithResult and fatal paths; the run stops here. */
void svc_break(recomp_cpu *cpu, uint64_t pc) {
  uint64_t info = 0;
  if (cpu->x[2] == 4) info = rt_ld32(cpu->x[1], pc); /* libnx passes the Result by address */
  hos_fault(pc, "svc Break (reason 0x%" PRIx64 ", info 0x%" PRIx64 ", result 0x%" PRIx64 ")", cpu->x[0], cpu->x[1], info);
}

void svc_output_debug_string(recomp_cpu *cpu, uint64_t pc) {
  uint64_t size = cpu->x[1];
  const char *text = size == 0 ? NULL : (const char *)rt_host(cpu->x[0], size, RT_READ, pc);
  cpu->x[0] = recomp_output_debug_string(text, size);
}

/* RandomEntropy (GetInfo 11): a fixed sequence, so a run stays a pure function of its inputs. */
static uint64_t random_entropy(uint64_t index) {
  uint64_t z = 0x9E3779B97F4A7C15ull * (index + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static int process_info(uint32_t id, uint64_t *out) {
  switch (id) {
    case 0: *out = 0x7; return 1;                      /* CoreMask: cores 0..2 */
    case 1: *out = 0xFFFFFFFFFFFFFFF0ull; return 1;    /* PriorityMask: 4..63 */
    case 2: *out = HOS_ALIAS_BASE; return 1;
    case 3: *out = HOS_ALIAS_SIZE; return 1;
    case 4: *out = HOS_HEAP_BASE; return 1;
    case 5: *out = HOS_HEAP_REGION_SIZE; return 1;
    case 6: case 21: *out = HOS_TOTAL_MEMORY; return 1;
    case 7: case 22: *out = hos_heap_size(); return 1; /* used memory: the heap (code and stacks are small) */
    case 8: *out = 0; return 1;                       /* DebuggerAttached */
    case 12: *out = HOS_ASLR_BASE; return 1;
    case 13: *out = HOS_ASLR_SIZE; return 1;
    case 14: *out = HOS_STACK_REGION_BASE; return 1;
    case 15: *out = HOS_STACK_REGION_SIZE; return 1;
    case 16: case 17: *out = 0; return 1;             /* SystemResourceSize: an application without one */
    case 18: *out = 0x0100000000001000ull; return 1;  /* ProgramId: the homebrew-menu title slot */
    case 20: *out = 0; return 1;                      /* UserExceptionContextAddress */
    case 23: *out = 1; return 1;                      /* IsApplication */
    case 28: *out = 0; return 1;                      /* AliasRegionExtraSize (18.0.0+) */
    default: return 0;
  }
}

/* GetInfo(id0 = w1, handle = w2, id1 = x3): x1 = value. */
void svc_get_info(recomp_cpu *cpu, uint64_t pc) {
  uint32_t id = (uint32_t)cpu->x[1], handle = (uint32_t)cpu->x[2];
  uint64_t sub = cpu->x[3], value = 0;
  if (id == 11) {
    if (handle != 0) cpu->x[0] = KERN_INVALID_HANDLE;
    else if (sub > 3) cpu->x[0] = KERN_INVALID_COMBINATION;
    else {
      cpu->x[0] = HOS_SUCCESS;
      cpu->x[1] = random_entropy(sub);
    }
    return;
  }
  if (id == 25 || id == 0xF0000002u) { /* ThreadTickCount: no thread has run on a clock yet */
    cpu->x[0] = HOS_SUCCESS;
    cpu->x[1] = 0;
    return;
  }
  if (!process_info(id, &value)) hos_fault(pc, "svc GetInfo id %" PRIu32 " (sub-id %" PRIu64 ") is not implemented", id, sub);
  if (handle != HOS_CURRENT_PROCESS) {
    cpu->x[0] = KERN_INVALID_HANDLE;
    return;
  }
  cpu->x[0] = sub != 0 ? KERN_INVALID_COMBINATION : HOS_SUCCESS;
  if (sub == 0) cpu->x[1] = value;
}
