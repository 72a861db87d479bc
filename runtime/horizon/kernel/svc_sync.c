/*
 * runtime/horizon/kernel: synchronisation SVCs. The run has one guest thread until the scheduler
 * lands (docs/runtime-horizon.md), so a wait that nothing can end is reported as a deadlock
 * fault, a wait with a timeout times out at once (virtual time moves only with presented
 * frames), and a signal has no waiter to wake; values in guest memory change as Horizon
 * changes them.
 */
#include <inttypes.h>

#include "kernel/svc.h"
#include "memory.h"

#define MUTEX_WAITER_BIT 0x40000000u

void svc_sleep_thread(recomp_cpu *cpu, uint64_t pc) {
  (void)cpu;
  (void)pc;
  /* 0, -1, -2 are yields; any sleep ends at once with one thread (virtual time does not move). */
}

static hos_event *event_of(uint32_t handle, int writable_allowed) {
  hos_kobject *object = hos_handle_get(handle, HOS_KIND_NONE);
  if (object == NULL) return NULL;
  if (object->kind == HOS_KIND_READABLE_EVENT || (object->kind == HOS_KIND_WRITABLE_EVENT && writable_allowed)) return hos_event_of(object);
  return NULL;
}

void svc_signal_event(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  hos_kobject *object = hos_handle_get((uint32_t)cpu->x[0], HOS_KIND_WRITABLE_EVENT);
  if (object == NULL) {
    cpu->x[0] = KERN_INVALID_HANDLE;
    return;
  }
  hos_event_signal(hos_event_of(object));
  cpu->x[0] = HOS_SUCCESS;
}

void svc_clear_event(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  hos_event *event = event_of((uint32_t)cpu->x[0], 1);
  if (event != NULL) hos_event_clear(event);
  cpu->x[0] = event == NULL ? KERN_INVALID_HANDLE : HOS_SUCCESS;
}

/* ResetSignal: clears a readable event; InvalidState when it was not signalled. */
void svc_reset_signal(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  hos_event *event = event_of((uint32_t)cpu->x[0], 0);
  if (event == NULL) {
    cpu->x[0] = KERN_INVALID_HANDLE;
    return;
  }
  cpu->x[0] = event->signaled ? HOS_SUCCESS : KERN_INVALID_STATE;
  hos_event_clear(event);
}

void svc_close_handle(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  uint32_t handle = (uint32_t)cpu->x[0];
  cpu->x[0] = handle == HOS_CURRENT_THREAD || handle == HOS_CURRENT_PROCESS || hos_handle_close(handle) == 0 ? HOS_SUCCESS : KERN_INVALID_HANDLE;
}

void svc_create_event(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  hos_event *event = hos_event_create("guest event");
  uint32_t writable = hos_handle_create(&event->writable), readable = hos_handle_create(&event->readable);
  event->writable.references--; /* the handles hold the event now */
  event->readable.references--;
  cpu->x[0] = writable != 0 && readable != 0 ? HOS_SUCCESS : KERN_OUT_OF_HANDLES;
  cpu->x[1] = writable;
  cpu->x[2] = readable;
}

RT_NORETURN static void deadlock(uint64_t pc, const char *what) {
  hos_fault(pc, "deadlock: the only thread waits forever (%s)", what);
}

/* WaitSynchronization(handles = x1, count = w2, timeout = x3): w1 = index of a signalled handle. */
void svc_wait_synchronization(recomp_cpu *cpu, uint64_t pc) {
  uint64_t count = (uint32_t)cpu->x[2];
  int64_t timeout = (int64_t)cpu->x[3];
  if (count > 0x40) {
    cpu->x[0] = KERN_OUT_OF_RANGE;
    return;
  }
  const uint8_t *handles = count == 0 ? NULL : rt_host(cpu->x[1], count * 4, RT_READ, pc);
  for (uint64_t i = 0; i < count; i++) {
    uint32_t handle = (uint32_t)handles[4 * i] | (uint32_t)handles[4 * i + 1] << 8 | (uint32_t)handles[4 * i + 2] << 16 |
                      (uint32_t)handles[4 * i + 3] << 24;
    hos_event *event = event_of(handle, 0);
    if (event == NULL) {
      cpu->x[0] = KERN_INVALID_HANDLE;
      return;
    }
    if (event->signaled) {
      cpu->x[0] = HOS_SUCCESS;
      cpu->x[1] = i;
      return;
    }
  }
  if (timeout < 0) deadlock(pc, "WaitSynchronization without a timeout on events nobody signals");
  cpu->x[0] = KERN_TIMED_OUT;
}

void svc_cancel_synchronization(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  cpu->x[0] = hos_thread_of((uint32_t)cpu->x[0]) != NULL ? HOS_SUCCESS : KERN_INVALID_HANDLE;
}

/* ArbitrateLock(owner = w0, addr = x1, tag = w2): only called when another thread owns the mutex. */
void svc_arbitrate_lock(recomp_cpu *cpu, uint64_t pc) {
  uint32_t value = (uint32_t)rt_ld32(cpu->x[1], pc);
  if ((value & ~MUTEX_WAITER_BIT) != (uint32_t)cpu->x[0]) {
    cpu->x[0] = HOS_SUCCESS; /* the owner changed meanwhile: the caller retries */
    return;
  }
  deadlock(pc, "ArbitrateLock on a mutex held by a thread that does not exist");
}

/* ArbitrateUnlock(addr = x0): no waiter to hand the mutex to, so it becomes free. */
void svc_arbitrate_unlock(recomp_cpu *cpu, uint64_t pc) {
  rt_st32(cpu->x[0], 0, pc);
  cpu->x[0] = HOS_SUCCESS;
}

/* WaitProcessWideKeyAtomic(addr = x0, key = x1, tag = w2, timeout = x3): releases, waits, reacquires. */
void svc_wait_process_wide_key_atomic(recomp_cpu *cpu, uint64_t pc) {
  if ((int64_t)cpu->x[3] < 0) deadlock(pc, "WaitProcessWideKeyAtomic without a timeout");
  rt_st32(cpu->x[0], (uint32_t)cpu->x[2], pc); /* the mutex is the caller's again after the timeout */
  cpu->x[0] = KERN_TIMED_OUT;
}

void svc_signal_process_wide_key(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  cpu->x[0] = HOS_SUCCESS;
}

/* WaitForAddress(addr = x0, type = w1, value = w2, timeout = x3); ArbitrationType 0..2. */
void svc_wait_for_address(recomp_cpu *cpu, uint64_t pc) {
  uint64_t address = cpu->x[0];
  uint32_t type = (uint32_t)cpu->x[1];
  int32_t value = (int32_t)cpu->x[2], current = (int32_t)rt_ld32(address, pc);
  if (address % 4 != 0) {
    cpu->x[0] = KERN_INVALID_ADDRESS;
    return;
  }
  int waits = type == 2 ? current == value : current < value;
  if (type > 2) {
    cpu->x[0] = KERN_INVALID_ENUM_VALUE;
    return;
  }
  if (!waits) {
    cpu->x[0] = KERN_INVALID_STATE;
    return;
  }
  if (type == 1) rt_st32(address, (uint32_t)(current - 1), pc); /* DecrementAndWaitIfLessThan */
  if ((int64_t)cpu->x[3] < 0) deadlock(pc, "WaitForAddress without a timeout");
  cpu->x[0] = KERN_TIMED_OUT;
}

/* SignalToAddress(addr = x0, type = w1, value = w2, count = w3); SignalType 0..2, no waiters. */
void svc_signal_to_address(recomp_cpu *cpu, uint64_t pc) {
  uint64_t address = cpu->x[0];
  uint32_t type = (uint32_t)cpu->x[1], value = (uint32_t)cpu->x[2];
  if (address % 4 != 0) {
    cpu->x[0] = KERN_INVALID_ADDRESS;
    return;
  }
  if (type > 2) {
    cpu->x[0] = KERN_INVALID_ENUM_VALUE;
    return;
  }
  if (type != 0) {
    if ((uint32_t)rt_ld32(address, pc) != value) {
      cpu->x[0] = KERN_INVALID_STATE;
      return;
    }
    rt_st32(address, value + 1, pc); /* with no waiters both IfEqual kinds increment */
  }
  cpu->x[0] = HOS_SUCCESS;
}
