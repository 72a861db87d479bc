/* runtime/horizon/kernel: threads and the deterministic scheduler (scheduler.h). */
#define _DEFAULT_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kernel/scheduler.h"
#include "loader/loader.h"
#include "memory.h"
#include "program.h"
#include "services.h"

/* Host stack of a guest thread: lifted code nests C calls as deep as the guest nests its calls. */
#define HOST_STACK_SIZE (16u << 20)
/* Thread ids after the main thread's (0x60), in creation order. */
static hos_thread main_thread = {.object = {HOS_KIND_THREAD, 1, NULL}, .id = 0x60, .priority = 44, .affinity = 1, .state = THREAD_RUNNABLE};
static hos_thread *current = &main_thread;
static uint64_t next_thread_id = 0x61;
static unsigned tls_slots = 1; /* the main thread's is slot 0 */

hos_thread *hos_main_thread(void) { return &main_thread; }
hos_thread *hos_current_thread(void) { return current; }

hos_thread *hos_thread_of(uint32_t handle) {
  if (handle == HOS_CURRENT_THREAD) return current;
  return (hos_thread *)hos_handle_get(handle, HOS_KIND_THREAD);
}

/* A 0x200-byte TLS slot: eight per ThreadLocal page after the loader's first one. */
static uint64_t allocate_tls(void) {
  unsigned slot = tls_slots++;
  uint64_t page = HOS_TLS_PAGE + (uint64_t)(slot / 8) * RT_PAGE_SIZE;
  if (slot % 8 == 0 && hos_memory_set(page, RT_PAGE_SIZE, HOS_MEM_THREAD_LOCAL, HOS_PERM_R | HOS_PERM_W, 0) != HOS_SUCCESS) return 0;
  return page + (slot % 8) * HOS_TLS_SIZE;
}

/* The host side of a new thread: runs the lifted entry; returning from it is ExitThread. */
static void thread_main(void) {
  hos_thread *thread = current;
  rt_fp_guest_enter(thread->cpu);
  rt_call_indirect(thread->cpu, thread->entry, thread->entry);
  hos_thread_exit(thread->entry);
}

hos_result hos_thread_create(uint64_t entry, uint64_t argument, uint64_t stack_top, uint32_t priority, int32_t core, uint32_t *handle) {
  if (priority > 63) return HOS_MAKE_RESULT(1, 112); /* InvalidPriority */
  if (core == -2) core = 0;
  if (core < 0 || core > 2) return HOS_MAKE_RESULT(1, 113); /* InvalidCoreId */
  hos_thread *thread = calloc(1, sizeof *thread);
  uint64_t tls = allocate_tls();
  if (thread == NULL || tls == 0) hos_fault(0, "cannot create thread (host memory or TLS)");
  thread->object = (hos_kobject){HOS_KIND_THREAD, 0, NULL}; /* threads live for the run */
  thread->id = next_thread_id++;
  thread->priority = priority;
  thread->core = core;
  thread->affinity = UINT64_C(1) << core;
  thread->state = THREAD_CREATED;
  thread->cpu = &thread->own_cpu;
  thread->entry = entry;
  thread->cpu->x[0] = argument;
  thread->cpu->sp = stack_top & ~UINT64_C(15);
  thread->cpu->tpidrro_el0 = tls;
  *handle = hos_handle_create(&thread->object);
  if (*handle == 0) return KERN_OUT_OF_HANDLES;
  thread->tag = *handle;
  hos_thread **link = &main_thread.next;
  while (*link != NULL) link = &(*link)->next;
  *link = thread;
  return HOS_SUCCESS;
}

hos_result hos_thread_start(hos_thread *thread) {
  if (thread->state != THREAD_CREATED) return KERN_INVALID_STATE;
  thread->host_stack = mmap(NULL, HOST_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (thread->host_stack == MAP_FAILED || getcontext(&thread->context) != 0) hos_fault(0, "cannot create a host stack for thread %" PRIu64, thread->id);
  thread->context.uc_stack.ss_sp = thread->host_stack;
  thread->context.uc_stack.ss_size = HOST_STACK_SIZE;
  thread->context.uc_link = NULL;
  makecontext(&thread->context, thread_main, 0);
  thread->state = THREAD_RUNNABLE;
  return HOS_SUCCESS;
}

static const char *wait_name(hos_wait_kind kind) {
  static const char *names[] = {"none", "WaitSynchronization", "ArbitrateLock", "WaitProcessWideKeyAtomic", "WaitForAddress", "SleepThread"};
  return names[kind];
}

RT_NORETURN static void deadlock(uint64_t pc) {
  char waits[512] = "";
  size_t used = 0;
  for (hos_thread *t = &main_thread; t != NULL && used < sizeof waits - 80; t = t->next) {
    if (t->state != THREAD_WAITING) continue;
    if (t->wait == WAIT_OBJECTS) {
      used += (size_t)snprintf(waits + used, sizeof waits - used, "%sthread 0x%" PRIx64 " in %s on %u handles", used ? ", " : "", t->id,
                               wait_name(t->wait), t->wait_count);
    } else {
      used += (size_t)snprintf(waits + used, sizeof waits - used, "%sthread 0x%" PRIx64 " in %s at 0x%" PRIx64, used ? ", " : "", t->id,
                               wait_name(t->wait), t->wait_address);
    }
  }
  hos_fault(pc, "deadlock: every thread waits and none can be woken (%s)", waits);
}

/* The next thread to run: highest priority, ties round-robin after the current thread's id. */
static hos_thread *pick(int current_first) {
  hos_thread *best = NULL;
  if (current_first && current->state == THREAD_RUNNABLE) best = current;
  for (hos_thread *t = current->next; t != NULL; t = t->next) {
    if (t->state == THREAD_RUNNABLE && (best == NULL || t->priority < best->priority)) best = t;
  }
  for (hos_thread *t = &main_thread; t != current->next; t = t->next) {
    if (t->state == THREAD_RUNNABLE && (best == NULL || t->priority < best->priority)) best = t;
  }
  return best;
}

static void switch_to(hos_thread *next) {
  if (next == current) return;
  hos_thread *previous = current;
  current = next;
  if (swapcontext(&previous->context, &next->context) != 0) hos_fault(0, "cannot switch host contexts");
}

static int (*idle_hook)(void);
void hos_set_idle_hook(int (*hook)(void)) { idle_hook = hook; }

/*
 * No thread can run: a device with work pending finishes it first (the audio output plays its
 * next buffer, whose release event may wake a waiter); then the timed waiter of lowest id times
 * out, or it is a deadlock.
 */
static hos_thread *expire_timeout(uint64_t pc) {
  while (idle_hook != NULL && idle_hook()) {
    hos_thread *next = pick(0);
    if (next != NULL) return next;
  }
  for (hos_thread *t = &main_thread; t != NULL; t = t->next) {
    if (t->state == THREAD_WAITING && t->timed) {
      hos_wake(t, KERN_TIMED_OUT, -1);
      return t;
    }
  }
  deadlock(pc);
}

hos_result hos_block(uint64_t pc) {
  hos_thread *self = current;
  if (self->cancel_pending && self->wait == WAIT_OBJECTS) {
    self->cancel_pending = 0;
    self->wait = WAIT_NONE;
    return KERN_CANCELLED;
  }
  self->state = THREAD_WAITING;
  hos_thread *next = pick(0);
  if (next == NULL) next = expire_timeout(pc);
  switch_to(next);
  return self->wait_result;
}

void hos_wake(hos_thread *thread, hos_result result, int32_t index) {
  if (thread->state != THREAD_WAITING) return;
  thread->state = THREAD_RUNNABLE;
  thread->wait = WAIT_NONE;
  thread->wait_result = result;
  thread->wait_index = index;
}

void hos_yield(uint64_t pc) {
  (void)pc;
  hos_thread *next = NULL;
  for (hos_thread *t = current->next; t != NULL && next == NULL; t = t->next) {
    if (t->state == THREAD_RUNNABLE && t->priority == current->priority) next = t;
  }
  for (hos_thread *t = &main_thread; t != current && next == NULL; t = t->next) {
    if (t->state == THREAD_RUNNABLE && t->priority == current->priority) next = t;
  }
  if (next != NULL) switch_to(next);
}

RT_NORETURN void hos_thread_exit(uint64_t pc) {
  hos_thread *self = current;
  if (self == &main_thread) recomp_exit_process(); /* the main thread ending ends the process */
  self->state = THREAD_EXITED;
  hos_wake_object_waiters();
  hos_thread *next = pick(0);
  if (next == NULL) next = expire_timeout(pc);
  switch_to(next); /* never comes back: nothing wakes an exited thread */
  hos_fault(pc, "exited thread 0x%" PRIx64 " was resumed", self->id);
}

int hos_handle_signalled(uint32_t handle) {
  hos_kobject *object = handle == HOS_CURRENT_THREAD ? &current->object : hos_handle_get(handle, HOS_KIND_NONE);
  if (object == NULL) return -1;
  if (object->kind == HOS_KIND_READABLE_EVENT) return hos_event_of(object)->signaled;
  if (object->kind == HOS_KIND_THREAD) return ((hos_thread *)object)->state == THREAD_EXITED;
  return -1;
}

void hos_wake_object_waiters(void) {
  for (hos_thread *t = &main_thread; t != NULL; t = t->next) {
    if (t->state != THREAD_WAITING || t->wait != WAIT_OBJECTS) continue;
    for (uint32_t i = 0; i < t->wait_count; i++) {
      if (hos_handle_signalled(t->wait_handles[i]) == 1) {
        hos_wake(t, HOS_SUCCESS, (int32_t)i);
        break;
      }
    }
  }
}

unsigned hos_waiters(hos_wait_kind kind, uint64_t address, hos_thread **out, unsigned max) {
  unsigned count = 0;
  for (uint32_t priority = 0; priority < 64 && count < max; priority++) {
    for (hos_thread *t = &main_thread; t != NULL && count < max; t = t->next) {
      if (t->state == THREAD_WAITING && t->wait == kind && t->wait_address == address && t->priority == priority) out[count++] = t;
    }
  }
  return count;
}
