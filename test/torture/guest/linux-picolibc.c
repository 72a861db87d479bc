/*
 * The torture corpus's guest OS layer: picolibc (a real libc from Debian) on the Linux system-call
 * ABI, so the one linked program runs unchanged under qemu-aarch64 and on recomp's `linux`
 * personality. picolibc's own crt0 writes cpacr_el1 (an EL1 register qemu-user refuses) and its
 * I/O goes through semihosting, so the startup and the handful of OS calls picolibc needs live here.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/types.h>
#include <unistd.h>

#include "../../diff/programs/linux-syscall.h"

/* The driver generated next to the tests: runs the test whose number is argv[1]. */
int torture_main(int argc, char **argv);
void __libc_init_array(void);

/* picolibc.ld's TLS layout: the thread pointer sits one TCB below the .tdata template. */
extern char __tls_base[];
extern char __arm64_tls_tcb_offset[];
/* picolibc.ld's .tbss + .bss, after .data in the same page. */
extern char __bss_start[];
extern char __bss_end[];

enum { linux_write = 64, linux_exit_group = 94 };

void _exit(int status) {
  for (;;) linux_call3(linux_exit_group, status, 0, 0);
}

ssize_t write(int fd, const void *bytes, size_t size) {
  return linux_call3(linux_write, fd, (long)bytes, (long)size);
}

/* No signals on this OS layer: raise() of a signal with no handler ends the program as a shell
 * would report it (128 + signal number), the same under qemu and recompiled. */
pid_t getpid(void) { return 1; }
int kill(pid_t pid, int signal) {
  (void)pid;
  _exit(128 + signal);
}

/* No file system, clock or entropy: the rest of what picolibc calls fails with ENOSYS, the same way
 * under qemu and recompiled (a test that needs files fails under qemu and is not compared). */
static int unavailable(void) {
  errno = ENOSYS;
  return -1;
}
int open(const char *path, int flags, ...) { (void)path, (void)flags; return unavailable(); }
int close(int fd) { (void)fd; return unavailable(); }
ssize_t read(int fd, void *bytes, size_t size) { (void)fd, (void)bytes, (void)size; return unavailable(); }
off_t lseek(int fd, off_t offset, int whence) { (void)fd, (void)offset, (void)whence; return unavailable(); }
int fstat(int fd, struct stat *status) { (void)fd, (void)status; return unavailable(); }
int stat(const char *path, struct stat *status) { (void)path, (void)status; return unavailable(); }
int unlink(const char *path) { (void)path; return unavailable(); }
int getentropy(void *bytes, size_t size) { (void)bytes, (void)size; return unavailable(); }
int gettimeofday(struct timeval *restrict now, void *restrict zone) { (void)now, (void)zone; return unavailable(); }
clock_t times(struct tms *usage) { (void)usage; return (clock_t)unavailable(); }
int sigprocmask(int how, const sigset_t *restrict set, sigset_t *restrict old) { (void)how, (void)set, (void)old; return 0; }

/* Line-buffered stdout and unbuffered stderr over write(2). */
static char line[256];
static size_t line_used;

static void flush_line(void) {
  if (line_used != 0) write(1, line, line_used);
  line_used = 0;
}

static int put_stdout(char c, FILE *file) {
  (void)file;
  line[line_used++] = c;
  if (c == '\n' || line_used == sizeof line) flush_line();
  return (unsigned char)c;
}

static int flush_stdout(FILE *file) {
  (void)file;
  flush_line();
  return 0;
}

static int put_stderr(char c, FILE *file) {
  (void)file;
  write(2, &c, 1);
  return (unsigned char)c;
}

static FILE out_stream = FDEV_SETUP_STREAM(put_stdout, NULL, flush_stdout, _FDEV_SETUP_WRITE);
static FILE err_stream = FDEV_SETUP_STREAM(put_stderr, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdout = &out_stream;
FILE *const stderr = &err_stream;
FILE *const stdin = NULL;

static void flush_at_exit(void) { flush_line(); }

/* Called from _start with the Linux initial stack: argc, argv[], NULL, envp[], NULL, auxv. */
/*
 * The loader maps .data's last page from the file, so the start of .tbss/.bss that shares the page
 * holds whatever the file has there (under qemu; recomp zero-fills by segment). The bare-metal
 * contract is that startup clears .bss: clear that shared 64 KiB at most (the rest is fresh zero
 * pages, and the stack we run on lies beyond it). A plain loop: memset may use SIMD.
 */
static void clear_shared_bss_page(void) {
  uintptr_t start = (uintptr_t)__bss_start, end = (uintptr_t)__bss_end;
  uintptr_t page_end = (start | 0xffff) + 1;
  for (volatile char *at = (volatile char *)start; (uintptr_t)at < end && (uintptr_t)at < page_end; at++) *at = 0;
}

__attribute__((noreturn, used)) static void start_c(uint64_t *initial) {
  clear_shared_bss_page();
  uint64_t thread = (uint64_t)(uintptr_t)__tls_base - (uint64_t)(uintptr_t)__arm64_tls_tcb_offset;
  __asm__ volatile("msr tpidr_el0, %0" : : "r"(thread));
  __libc_init_array();
  atexit(flush_at_exit);
  exit(torture_main((int)initial[0], (char **)(initial + 1)));
}

/*
 * The heap (picolibc's sbrk takes __heap_start..__heap_end) and the stack are in .bss, so both runs
 * see the same addresses and the same limits whatever stack the loader gave; _start moves sp there.
 */
__asm__(
    ".section .bss.torture_memory,\"aw\",%nobits\n"
    ".balign 16\n"
    ".global __heap_start\n"
    "__heap_start:\n"
    "  .zero 0x1000000\n"
    ".global __heap_end\n"
    "__heap_end:\n"
    "torture_stack_bottom:\n"
    "  .zero 0x800000\n"
    "torture_stack_top:\n"
    ".section .text.init.enter,\"ax\",%progbits\n"
    ".global _start\n"
    ".type _start, %function\n"
    "_start:\n"
    "  mov x0, sp\n"
    "  adrp x1, torture_stack_top\n"
    "  add x1, x1, :lo12:torture_stack_top\n"
    "  mov sp, x1\n"
    "  mov x29, #0\n"
    "  mov x30, #0\n"
    "  b start_c\n"
    ".size _start, .-_start\n");
