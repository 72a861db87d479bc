/*
 * runtime/core: a service call as the replay log records it (recomp_log_svc): the registers an SVC reads and
 * writes, by mask, as "x0=0x1 x2=0x8". Both personalities and both hosts (recompiled and emulated) log through
 * this, so two runs of one title part at the first call whose arguments or results differ.
 */
#ifndef RECOMP_SVC_LOG_H
#define RECOMP_SVC_LOG_H

#include <stdio.h>

#include "cpu.h"
#include "services.h"

/* Room for x0..x7 as "xN=0x" and 16 hex digits, space-separated. */
#define RT_SVC_LOG_REGISTERS_BYTES 192u

/* Bit N of a mask names register xN (x0..x7, the SVC ABI's registers). */
#define RT_X(n) (1u << (n))

static inline void rt_svc_registers(char out[RT_SVC_LOG_REGISTERS_BYTES], const recomp_cpu *cpu, unsigned mask) {
  size_t at = 0;
  out[0] = '\0';
  for (unsigned n = 0; n < 8; n++) {
    if ((mask & RT_X(n)) == 0) continue;
    at += (size_t)snprintf(out + at, RT_SVC_LOG_REGISTERS_BYTES - at, "%sx%u=0x%llx", at == 0 ? "" : " ", n, (unsigned long long)cpu->x[n]);
  }
}

/* A call's argument registers, taken before it runs; logged with its results by rt_svc_log_after. */
typedef struct rt_svc_call {
  uint32_t number;
  const char *name;
  char args[RT_SVC_LOG_REGISTERS_BYTES];
} rt_svc_call;

/* Without a replay log nothing is formatted: the snprintf per register cost more than the demo's services. */
static inline void rt_svc_log_before(rt_svc_call *call, const recomp_cpu *cpu, uint32_t number, const char *name, unsigned args) {
  call->number = number;
  call->name = name;
  rt_svc_registers(call->args, cpu, recomp_log_open() ? args : 0);
}

/* results 0: a call that does not return (ExitProcess, ExitThread) is logged before it runs, with no results. */
static inline void rt_svc_log_after(const rt_svc_call *call, const recomp_cpu *cpu, unsigned results) {
  if (!recomp_log_open()) return;
  char text[RT_SVC_LOG_REGISTERS_BYTES];
  rt_svc_registers(text, cpu, results);
  recomp_log_svc(call->number, call->name, call->args, text);
}

#endif
