/*
 * runtime/horizon/kernel: guest threads and the deterministic scheduler. Every guest thread runs
 * on one host thread, each on its own host stack (ucontext); a switch happens only inside a
 * blocking SVC or a yield, never by preemption, and the next thread is chosen by a fixed rule:
 * the runnable thread of highest priority (lowest number), ties broken round-robin in thread-id
 * order after the current one. A run is therefore a pure function of the program and its inputs.
 *
 * Waits: a thread blocks with a wait kind; another thread's SVC (SignalEvent, ArbitrateUnlock,
 * SignalProcessWideKey, SignalToAddress, ExitThread, CancelSynchronization) wakes it with a
 * result. Virtual time does not pass while threads wait, so a finite timeout expires only when
 * no thread can run: then the timed waiter of lowest thread id times out. When no thread can run
 * and none has a timeout, the run stops with a deadlock fault naming every wait.
 */
#ifndef HOS_SCHEDULER_H
#define HOS_SCHEDULER_H

#include <stdint.h>
#include <ucontext.h>

#include "cpu.h"
#include "kernel/kernel.h"

#define HOS_MAX_WAIT_HANDLES 64u

typedef enum { THREAD_CREATED, THREAD_RUNNABLE, THREAD_WAITING, THREAD_EXITED } hos_thread_state;

typedef enum {
  WAIT_NONE,
  WAIT_OBJECTS,   /* WaitSynchronization: events and threads */
  WAIT_MUTEX,     /* ArbitrateLock: wait_address is the mutex word */
  WAIT_CONDITION, /* WaitProcessWideKeyAtomic: wait_address is the key, mutex_address the mutex */
  WAIT_ADDRESS,   /* WaitForAddress */
  WAIT_SLEEP,     /* SleepThread with a duration */
} hos_wait_kind;

typedef struct hos_thread {
  hos_kobject object;
  uint64_t id;
  uint32_t priority;
  int32_t core;
  uint64_t affinity;
  hos_thread_state state;
  recomp_cpu *cpu;
  recomp_cpu own_cpu; /* threads other than the main one keep their registers here */
  uint64_t entry;
  ucontext_t context;
  void *host_stack;
  /* The current wait. */
  hos_wait_kind wait;
  int timed, cancel_pending;
  uint32_t wait_handles[HOS_MAX_WAIT_HANDLES];
  uint32_t wait_count;
  uint64_t wait_address, mutex_address;
  uint32_t tag; /* the value the thread stores in a mutex word it owns (its handle, in libnx) */
  hos_result wait_result;
  int32_t wait_index;
  struct hos_thread *next; /* every thread, in id order */
} hos_thread;

/* The main thread (created by the loader: priority 44, core 0) and the running thread. */
hos_thread *hos_main_thread(void);
hos_thread *hos_current_thread(void);
/* Thread handles: the current-thread pseudo-handle or a real one; NULL when it is not a thread. */
hos_thread *hos_thread_of(uint32_t handle);

/* CreateThread: a new thread (not started) with its TLS slot; KERN_* on a bad argument. */
hos_result hos_thread_create(uint64_t entry, uint64_t argument, uint64_t stack_top, uint32_t priority, int32_t core,
                             uint32_t *handle);
hos_result hos_thread_start(hos_thread *thread);
/* ExitThread, or the thread's entry returning. Does not return. */
RT_NORETURN void hos_thread_exit(uint64_t pc);

/* Blocks the current thread in its prepared wait (thread->wait...) until woken; returns its wait result. */
hos_result hos_block(uint64_t pc);
/* Makes a waiting thread runnable with a result (and, for WAIT_OBJECTS, the signalled index). */
void hos_wake(hos_thread *thread, hos_result result, int32_t index);
/* Gives other runnable threads of the same priority their turn (SleepThread 0, -1, -2). */
void hos_yield(uint64_t pc);
/* Wakes the object waiters whose objects are now signalled (after SignalEvent, ExitThread). */
void hos_wake_object_waiters(void);
/* 1 when the handle names a signalled event or an exited thread; -1 when it is not waitable. */
int hos_handle_signalled(uint32_t handle);
/* The waiting threads of `kind` on `address`, highest priority first (ties by id); returns how many. */
unsigned hos_waiters(hos_wait_kind kind, uint64_t address, hos_thread **out, unsigned max);

/* Called when no thread can run, before timeouts expire: returns 1 when it did work that may wake a thread. */
void hos_set_idle_hook(int (*hook)(void));

#endif
