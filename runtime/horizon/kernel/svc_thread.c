/* runtime/horizon/kernel: thread SVCs (creation, start, exit, priorities, cores, ids). */
#include <stddef.h>

#include "kernel/svc.h"

/* CreateThread(entry = x1, arg = x2, stack top = x3, priority = w4, core = w5): w1 = handle. */
void svc_create_thread(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  uint32_t handle = 0;
  cpu->x[0] = hos_thread_create(cpu->x[1], cpu->x[2], cpu->x[3], (uint32_t)cpu->x[4], (int32_t)cpu->x[5], &handle);
  cpu->x[1] = handle;
}

void svc_start_thread(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  hos_thread *thread = hos_thread_of((uint32_t)cpu->x[0]);
  cpu->x[0] = thread == NULL ? KERN_INVALID_HANDLE : hos_thread_start(thread);
}

void svc_exit_thread(recomp_cpu *cpu, uint64_t pc) {
  (void)cpu;
  hos_thread_exit(pc);
}

void svc_get_thread_priority(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  hos_thread *thread = hos_thread_of((uint32_t)cpu->x[1]);
  cpu->x[0] = thread == NULL ? KERN_INVALID_HANDLE : HOS_SUCCESS;
  if (thread != NULL) cpu->x[1] = thread->priority;
}

/* A new priority takes effect at the next scheduling decision (a blocking SVC or a yield). */
void svc_set_thread_priority(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  hos_thread *thread = hos_thread_of((uint32_t)cpu->x[0]);
  uint32_t priority = (uint32_t)cpu->x[1];
  if (thread == NULL) cpu->x[0] = KERN_INVALID_HANDLE;
  else if (priority > 63) cpu->x[0] = HOS_MAKE_RESULT(1, 112); /* InvalidPriority */
  else {
    thread->priority = priority;
    cpu->x[0] = HOS_SUCCESS;
  }
}

void svc_get_thread_core_mask(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  hos_thread *thread = hos_thread_of((uint32_t)cpu->x[2]);
  cpu->x[0] = thread == NULL ? KERN_INVALID_HANDLE : HOS_SUCCESS;
  if (thread != NULL) {
    cpu->x[1] = (uint32_t)thread->core;
    cpu->x[2] = thread->affinity;
  }
}

/* SetThreadCoreMask(handle = w0, core = w1, mask = x2): an application has cores 0..2; -1 = keep, -2 = ideal (0). */
void svc_set_thread_core_mask(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  hos_thread *thread = hos_thread_of((uint32_t)cpu->x[0]);
  int32_t core = (int32_t)cpu->x[1];
  uint64_t mask = cpu->x[2];
  if (thread == NULL) {
    cpu->x[0] = KERN_INVALID_HANDLE;
    return;
  }
  if (core == -2) core = 0;
  if (core == -1) core = thread->core;
  if (core < 0 || core > 2 || (mask & ~UINT64_C(7)) != 0 || (mask & (UINT64_C(1) << core)) == 0) {
    cpu->x[0] = HOS_MAKE_RESULT(1, 113); /* InvalidCoreId */
    return;
  }
  thread->core = core;
  thread->affinity = mask;
  cpu->x[0] = HOS_SUCCESS;
}

/* Threads all run on one host thread; each reports the core it was given. */
void svc_get_current_processor_number(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  cpu->x[0] = (uint32_t)hos_current_thread()->core;
}

void svc_get_thread_id(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  hos_thread *thread = hos_thread_of((uint32_t)cpu->x[1]);
  cpu->x[0] = thread == NULL ? KERN_INVALID_HANDLE : HOS_SUCCESS;
  if (thread != NULL) cpu->x[1] = thread->id;
}
