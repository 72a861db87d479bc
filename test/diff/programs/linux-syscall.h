/* The AArch64 Linux system-call ABI (number in x8, arguments from x0, result in x0), shared by the
 * freestanding differential-test programs and the torture corpus's picolibc OS layer. */
#ifndef RECOMP_LINUX_SYSCALL_H
#define RECOMP_LINUX_SYSCALL_H
static inline long linux_call3(long number, long a, long b, long c) {
  register long x8 __asm__("x8") = number;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
  return x0;
}
#endif
