/* Differential-test programs: freestanding AArch64 Linux, output through write(1) and exit. */
#ifndef RECOMP_DIFF_LINUX_H
#define RECOMP_DIFF_LINUX_H
typedef unsigned long u64;
typedef long i64;
typedef unsigned int u32;
typedef int i32;

static inline i64 sys3(i64 nr, i64 a, i64 b, i64 c) {
  register i64 x8 __asm__("x8") = nr;
  register i64 x0 __asm__("x0") = a;
  register i64 x1 __asm__("x1") = b;
  register i64 x2 __asm__("x2") = c;
  __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
  return x0;
}

static char out_buf[4096];
static u32 out_len;

static void flush(void) {
  sys3(64, 1, (i64)out_buf, out_len);
  out_len = 0;
}

static void put_char(char c) {
  if (out_len == sizeof out_buf) flush();
  out_buf[out_len++] = c;
}

static void put_str(const char *s) {
  while (*s) put_char(*s++);
}

static void put_hex(u64 v) {
  for (int shift = 60; shift >= 0; shift -= 4) put_char("0123456789abcdef"[(v >> shift) & 15]);
  put_char('\n');
}

__attribute__((noreturn)) static void exit_with(int code) {
  flush();
  for (;;) sys3(93, code, 0, 0);
}
#endif
