/*
 * runtime/core/a64: calls of a helper's general (slow) path that leave the calling lifted function a leaf.
 * A plain call in a rarely taken branch clobbers the host's caller-saved registers, so the compiler keeps every
 * value that lives across it in callee-saved registers, which the function then pushes and pops on every entry,
 * slow path taken or not (in a small FP function called in a loop, a third of its instructions). On x86-64
 * with GCC or Clang the call is inline assembly through rt_slow_call_x86 (fp_scalar.c), which keeps every
 * general register but rax and calls the helper with the stack aligned: the compiler sees no call, only rax,
 * the flags, the vector registers and memory clobbered. The asm steps over the red zone (128 bytes below the
 * stack pointer, where a leaf function may keep its own data) before its call. No x87 value lives across it:
 * lifted code has no long double. Elsewhere it is a plain call.
 * A general helper takes the CPU state, its constant operands packed by rt_slow_form (one byte each) and up to
 * three values: at most five registers, so the function's own values keep the others.
 */
#ifndef RECOMP_A64_SLOW_CALL_H
#define RECOMP_A64_SLOW_CALL_H

#include <stdint.h>

#include "../cpu.h"

/* Up to five small constants (each -1..127) in one argument; rt_slow_field(form, i) reads field i back. */
#define rt_slow_form(a, b, c, d, e) \
  ((uint64_t)(uint8_t)(a) | (uint64_t)(uint8_t)(b) << 8 | (uint64_t)(uint8_t)(c) << 16 | (uint64_t)(uint8_t)(d) << 24 | (uint64_t)(uint8_t)(e) << 32)
static inline int rt_slow_field(uint64_t form, int i) { return (int)(int8_t)(uint8_t)(form >> (8 * i)); }

typedef uint64_t rt_slow1(recomp_cpu *cpu, uint64_t form, uint64_t a);
typedef uint64_t rt_slow2(recomp_cpu *cpu, uint64_t form, uint64_t a, uint64_t b);
typedef uint64_t rt_slow3(recomp_cpu *cpu, uint64_t form, uint64_t a, uint64_t b, uint64_t c);

#if defined(__GNUC__) && defined(__x86_64__)
void rt_slow_call_x86(void);
#ifdef __AVX512F__
#define RT_SLOW_CLOBBERS_AVX512 , "xmm16", "xmm17", "xmm18", "xmm19", "xmm20", "xmm21", "xmm22", "xmm23", "xmm24", "xmm25", \
  "xmm26", "xmm27", "xmm28", "xmm29", "xmm30", "xmm31", "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"
#else
#define RT_SLOW_CLOBBERS_AVX512
#endif
/*
 * rax: the helper's address in, its result out; the CPU state in rdi, the other arguments in r8-r11 (kept by the
 * call): not in rsi, rdx and rcx, where a lifted function gets x0, x1 and x30 (program.h, rt_guest_fn), so those
 * need not move out of the way.
 */
#define RT_SLOW_ASM(result, ...)                                                                                   \
  __asm__ volatile("lea -128(%%rsp), %%rsp\n\tcall rt_slow_call_x86\n\tlea 128(%%rsp), %%rsp"                    \
                   : "+a"(result)                                                                                  \
                   : __VA_ARGS__                                                                                   \
                   : "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", \
                     "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15" RT_SLOW_CLOBBERS_AVX512)
#define RT_SLOW_ARGS(cpu, form)                                                                                    \
  register recomp_cpu *rt_di __asm__("rdi") = (cpu);                                                               \
  register uint64_t rt_form __asm__("r8") = (form);                                                                \
  uint64_t rt_r = (uint64_t)(uintptr_t)fn
static inline uint64_t rt_slow_call1(rt_slow1 *fn, recomp_cpu *cpu, uint64_t form, uint64_t a) {
  RT_SLOW_ARGS(cpu, form);
  register uint64_t rt_a __asm__("r9") = a;
  RT_SLOW_ASM(rt_r, "r"(rt_di), "r"(rt_form), "r"(rt_a));
  return rt_r;
}
static inline uint64_t rt_slow_call2(rt_slow2 *fn, recomp_cpu *cpu, uint64_t form, uint64_t a, uint64_t b) {
  RT_SLOW_ARGS(cpu, form);
  register uint64_t rt_a __asm__("r9") = a, rt_b __asm__("r10") = b;
  RT_SLOW_ASM(rt_r, "r"(rt_di), "r"(rt_form), "r"(rt_a), "r"(rt_b));
  return rt_r;
}
static inline uint64_t rt_slow_call3(rt_slow3 *fn, recomp_cpu *cpu, uint64_t form, uint64_t a, uint64_t b, uint64_t c) {
  RT_SLOW_ARGS(cpu, form);
  register uint64_t rt_a __asm__("r9") = a, rt_b __asm__("r10") = b, rt_c __asm__("r11") = c;
  RT_SLOW_ASM(rt_r, "r"(rt_di), "r"(rt_form), "r"(rt_a), "r"(rt_b), "r"(rt_c));
  return rt_r;
}
#else
static inline uint64_t rt_slow_call1(rt_slow1 *fn, recomp_cpu *cpu, uint64_t form, uint64_t a) { return fn(cpu, form, a); }
static inline uint64_t rt_slow_call2(rt_slow2 *fn, recomp_cpu *cpu, uint64_t form, uint64_t a, uint64_t b) { return fn(cpu, form, a, b); }
static inline uint64_t rt_slow_call3(rt_slow3 *fn, recomp_cpu *cpu, uint64_t form, uint64_t a, uint64_t b, uint64_t c) {
  return fn(cpu, form, a, b, c);
}
#endif

#endif
