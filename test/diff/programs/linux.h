/* Differential-test programs: freestanding AArch64 Linux, output through write(1) and exit. */
#ifndef RECOMP_DIFF_LINUX_H
#define RECOMP_DIFF_LINUX_H
typedef unsigned long u64;
typedef long i64;
typedef unsigned int u32;
typedef int i32;

#include "linux-syscall.h"

static char out_buf[4096];
static u32 out_len;

static void flush(void) {
  linux_call3(64, 1, (i64)out_buf, out_len);
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
  for (;;) linux_call3(93, code, 0, 0);
}
#endif
