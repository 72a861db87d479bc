/*
 * runtime/horizon/kernel: synchronisation SVCs on the deterministic scheduler (scheduler.h):
 * events, WaitSynchronization, mutexes (ArbitrateLock/Unlock), condition variables
 * (process-wide keys) and address arbitration, with Horizon's rules for the words in guest
 * memory (libnx's mutex word: owner tag | 0x40000000 when others wait).
 */
#include <inttypes.h>

#include "kernel/svc.h"
#include "memory.h"

#define MUTEX_WAITER_BIT 0x40000000u
#define MAX_WAITERS 256u

/* SleepThread: 0, -1, -2 yield; a duration waits until no other thread can run (virtual time does not pass). */
void svc_sleep_thread(recomp_cpu *cpu, uint64_t pc) {
  int64_t nanoseconds = (int64_t)cpu->x[0];
  if (nanoseconds <= 0) {
    hos_yield(pc);
    return;
  }
  hos_thread *self = hos_current_thread();
  self->wait = WAIT_SLEEP;
  self->timed = 1;
  hos_block(pc);
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

/* WaitSynchronization(handles = x1, count = w2, timeout = x3): w1 = index of a signalled handle. */
void svc_wait_synchronization(recomp_cpu *cpu, uint64_t pc) {
  uint64_t count = (uint32_t)cpu->x[2];
  int64_t timeout = (int64_t)cpu->x[3];
  if (count > HOS_MAX_WAIT_HANDLES) {
    cpu->x[0] = KERN_OUT_OF_RANGE;
    return;
  }
  hos_thread *self = hos_current_thread();
  const uint8_t *handles = count == 0 ? NULL : rt_host(cpu->x[1], count * 4, RT_READ, pc);
  for (uint64_t i = 0; i < count; i++) {
    uint32_t handle = (uint32_t)handles[4 * i] | (uint32_t)handles[4 * i + 1] << 8 | (uint32_t)handles[4 * i + 2] << 16 |
                      (uint32_t)handles[4 * i + 3] << 24;
    int signalled = hos_handle_signalled(handle);
    if (signalled < 0) {
      cpu->x[0] = KERN_INVALID_HANDLE;
      return;
    }
    self->wait_handles[i] = handle;
    if (signalled && !self->cancel_pending) {
      cpu->x[0] = HOS_SUCCESS;
      cpu->x[1] = i;
      return;
    }
  }
  if (self->cancel_pending) {
    self->cancel_pending = 0;
    cpu->x[0] = KERN_CANCELLED;
    return;
  }
  if (timeout == 0) {
    cpu->x[0] = KERN_TIMED_OUT;
    return;
  }
  self->wait = WAIT_OBJECTS;
  self->wait_count = (uint32_t)count;
  self->timed = timeout > 0;
  cpu->x[0] = hos_block(pc);
  cpu->x[1] = (uint64_t)(int64_t)self->wait_index;
}

/* Wakes a thread waiting in WaitSynchronization with Cancelled, or makes its next one return Cancelled. */
void svc_cancel_synchronization(recomp_cpu *cpu, uint64_t pc) {
  (void)pc;
  hos_thread *thread = hos_thread_of((uint32_t)cpu->x[0]);
  if (thread == NULL) {
    cpu->x[0] = KERN_INVALID_HANDLE;
    return;
  }
  if (thread->state == THREAD_WAITING && thread->wait == WAIT_OBJECTS) hos_wake(thread, KERN_CANCELLED, -1);
  else thread->cancel_pending = 1;
  cpu->x[0] = HOS_SUCCESS;
}

/* Hands the mutex at `address` to its highest-priority waiter, or frees it. */
static void release_mutex(uint64_t address, uint64_t pc) {
  hos_thread *waiters[2];
  unsigned count = hos_waiters(WAIT_MUTEX, address, waiters, 2);
  if (count == 0) {
    rt_st32(address, 0, pc);
    return;
  }
  rt_st32(address, waiters[0]->tag | (count > 1 ? MUTEX_WAITER_BIT : 0), pc);
  hos_wake(waiters[0], HOS_SUCCESS, -1);
}

/* ArbitrateLock(owner handle = w0, addr = x1, tag = w2): waits until the owner hands the mutex over. */
void svc_arbitrate_lock(recomp_cpu *cpu, uint64_t pc) {
  uint64_t address = cpu->x[1];
  if (address % 4 != 0) {
    cpu->x[0] = KERN_INVALID_ADDRESS;
    return;
  }
  uint32_t value = (uint32_t)rt_ld32(address, pc);
  if (value != ((uint32_t)cpu->x[0] | MUTEX_WAITER_BIT)) {
    cpu->x[0] = HOS_SUCCESS; /* the owner changed meanwhile: the caller retries */
    return;
  }
  if (hos_thread_of((uint32_t)cpu->x[0]) == NULL) {
    cpu->x[0] = KERN_INVALID_HANDLE;
    return;
  }
  hos_thread *self = hos_current_thread();
  self->wait = WAIT_MUTEX;
  self->wait_address = address;
  self->tag = (uint32_t)cpu->x[2];
  self->timed = 0;
  cpu->x[0] = hos_block(pc);
}

void svc_arbitrate_unlock(recomp_cpu *cpu, uint64_t pc) {
  if (cpu->x[0] % 4 != 0) {
    cpu->x[0] = KERN_INVALID_ADDRESS;
    return;
  }
  release_mutex(cpu->x[0], pc);
  cpu->x[0] = HOS_SUCCESS;
}

/* WaitProcessWideKeyAtomic(addr = x0, key = x1, tag = w2, timeout = x3): releases the mutex, waits on the key, reacquires. */
void svc_wait_process_wide_key_atomic(recomp_cpu *cpu, uint64_t pc) {
  uint64_t mutex = cpu->x[0], key = cpu->x[1];
  int64_t timeout = (int64_t)cpu->x[3];
  hos_thread *self = hos_current_thread();
  self->tag = (uint32_t)cpu->x[2];
  release_mutex(mutex, pc);
  rt_st32(key, 1, pc); /* the key word tells signallers there are waiters */
  if (timeout == 0) {
    cpu->x[0] = KERN_TIMED_OUT;
  } else {
    self->wait = WAIT_CONDITION;
    self->wait_address = key;
    self->mutex_address = mutex;
    self->timed = timeout > 0;
    cpu->x[0] = hos_block(pc);
  }
  if (cpu->x[0] != KERN_TIMED_OUT) return;
  /* Timed out: take the mutex back (or queue on it) as a woken waiter does. */
  uint32_t value = (uint32_t)rt_ld32(mutex, pc);
  if (value == 0) {
    rt_st32(mutex, self->tag, pc);
    return;
  }
  rt_st32(mutex, value | MUTEX_WAITER_BIT, pc);
  self->wait = WAIT_MUTEX;
  self->wait_address = mutex;
  self->timed = 0;
  hos_block(pc);
  cpu->x[0] = KERN_TIMED_OUT;
}

/* SignalProcessWideKey(key = x0, count = w1): wakes up to count waiters (all when <= 0); each reacquires its mutex. */
void svc_signal_process_wide_key(recomp_cpu *cpu, uint64_t pc) {
  uint64_t key = cpu->x[0];
  int32_t count = (int32_t)cpu->x[1];
  hos_thread *waiters[MAX_WAITERS];
  unsigned total = hos_waiters(WAIT_CONDITION, key, waiters, MAX_WAITERS);
  unsigned woken = count <= 0 || (unsigned)count > total ? total : (unsigned)count;
  for (unsigned i = 0; i < woken; i++) {
    hos_thread *thread = waiters[i];
    uint32_t value = (uint32_t)rt_ld32(thread->mutex_address, pc);
    if (value == 0) {
      rt_st32(thread->mutex_address, thread->tag, pc);
      hos_wake(thread, HOS_SUCCESS, -1);
    } else {
      rt_st32(thread->mutex_address, value | MUTEX_WAITER_BIT, pc);
      thread->wait = WAIT_MUTEX; /* still waiting, now for the mutex */
      thread->wait_address = thread->mutex_address;
      thread->timed = 0;
    }
  }
  if (woken == total) rt_st32(key, 0, pc);
  cpu->x[0] = HOS_SUCCESS;
}

/* The address and type of WaitForAddress and SignalToAddress: a word-aligned address, one of the three types. */
static hos_result arbitration_arguments_check(uint64_t address, uint32_t type) {
  if (address % 4 != 0) return KERN_INVALID_ADDRESS;
  return type > 2 ? KERN_INVALID_ENUM_VALUE : HOS_SUCCESS;
}

/* WaitForAddress(addr = x0, type = w1, value = w2, timeout = x3); types 0 WaitIfLessThan, 1 DecrementAndWaitIfLessThan, 2 WaitIfEqual. */
void svc_wait_for_address(recomp_cpu *cpu, uint64_t pc) {
  uint64_t address = cpu->x[0];
  uint32_t type = (uint32_t)cpu->x[1];
  int32_t value = (int32_t)cpu->x[2];
  int64_t timeout = (int64_t)cpu->x[3];
  hos_result invalid = arbitration_arguments_check(address, type);
  if (invalid != HOS_SUCCESS) {
    cpu->x[0] = invalid;
    return;
  }
  int32_t current = (int32_t)rt_ld32(address, pc);
  if (!(type == 2 ? current == value : current < value)) {
    cpu->x[0] = KERN_INVALID_STATE;
    return;
  }
  if (type == 1) rt_st32(address, (uint32_t)(current - 1), pc);
  if (timeout == 0) {
    cpu->x[0] = KERN_TIMED_OUT;
    return;
  }
  hos_thread *self = hos_current_thread();
  self->wait = WAIT_ADDRESS;
  self->wait_address = address;
  self->timed = timeout > 0;
  cpu->x[0] = hos_block(pc);
}

/* The new value of SignalAndModifyByWaitingCountIfEqual, as Horizon computes it from the waiters. */
static int32_t modified_by_waiting_count(int32_t value, int32_t count, unsigned waiting) {
  if (waiting == 0) return value + 1;
  if (count <= 0) return value - 2;
  return waiting - 1 < (unsigned)count ? value - 1 : value;
}

/* SignalToAddress(addr = x0, type = w1, value = w2, count = w3); types 0 Signal, 1 SignalAndIncrementIfEqual, 2 ...ModifyByWaitingCountIfEqual. */
void svc_signal_to_address(recomp_cpu *cpu, uint64_t pc) {
  uint64_t address = cpu->x[0];
  uint32_t type = (uint32_t)cpu->x[1];
  int32_t value = (int32_t)cpu->x[2], count = (int32_t)cpu->x[3];
  hos_result invalid = arbitration_arguments_check(address, type);
  if (invalid != HOS_SUCCESS) {
    cpu->x[0] = invalid;
    return;
  }
  hos_thread *waiters[MAX_WAITERS];
  unsigned total = hos_waiters(WAIT_ADDRESS, address, waiters, MAX_WAITERS);
  if (type != 0) {
    if ((int32_t)rt_ld32(address, pc) != value) {
      cpu->x[0] = KERN_INVALID_STATE;
      return;
    }
    rt_st32(address, (uint32_t)(type == 1 ? value + 1 : modified_by_waiting_count(value, count, total)), pc);
  }
  unsigned woken = count <= 0 || (unsigned)count > total ? total : (unsigned)count;
  for (unsigned i = 0; i < woken; i++) hos_wake(waiters[i], HOS_SUCCESS, -1);
  cpu->x[0] = HOS_SUCCESS;
}
