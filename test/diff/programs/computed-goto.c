/* Computed gotos (GCC's labels as values): tables of label differences of each width, an absolute label
   table driving a threaded interpreter (a `goto *` after every handler), and label offsets computed at
   run time from an absolute table minus a base label (comp-goto-1's shape), and labels a nested function
   returns (920721-4's shape). */
#include "linux.h"

static volatile u32 sink;

/* pr70460's shape: a static table of int differences added to a label's address. */
__attribute__((noinline, noclone)) static u32 int_differences(u32 x) {
  static const int offsets[] = { &&one - &&done, &&two - &&done, &&three - &&done, 0 };
  u32 r = 1;
  goto *(&&done + offsets[x & 3]);
one:
  r += 10;
two:
  r *= 3;
three:
  r ^= 0x55;
done:
  return r + x;
}

/* The same with 16-bit differences (ldrsh) and a base label before the targets. */
__attribute__((noinline, noclone)) static u32 short_differences(u32 x, u32 y) {
  static const short offsets[] = { &&add - &&base, &&sub - &&base, &&mul - &&base, &&out - &&base };
  goto *(&&base + offsets[x & 3]);
base:
  y += 1000;
add:
  y += x * 7;
  goto out;
sub:
  y -= x;
  goto out;
mul:
  y *= x + 1;
out:
  return y;
}

enum { OP_PUSH, OP_ADD, OP_MUL, OP_DUP, OP_SWAP, OP_JNZ, OP_DEC, OP_PRINT, OP_HALT };

/* A threaded interpreter: every handler ends with its own `goto *dispatch[*pc++]`. */
__attribute__((noinline, noclone)) static i64 run(const signed char *code) {
  static const void *const dispatch[] = { &&push, &&add, &&mul, &&dup, &&swap, &&jnz, &&dec, &&print, &&halt };
  i64 stack[16];
  int sp = 0;
  const signed char *pc = code;
  goto *dispatch[*pc++];
push:
  stack[sp++] = *pc++;
  goto *dispatch[*pc++];
add:
  sp--;
  stack[sp - 1] += stack[sp];
  goto *dispatch[*pc++];
mul:
  sp--;
  stack[sp - 1] *= stack[sp];
  goto *dispatch[*pc++];
dup:
  stack[sp] = stack[sp - 1];
  sp++;
  goto *dispatch[*pc++];
swap: {
  i64 t = stack[sp - 1];
  stack[sp - 1] = stack[sp - 2];
  stack[sp - 2] = t;
  goto *dispatch[*pc++];
}
jnz:
  if (stack[--sp] != 0) pc += *pc;
  else pc++;
  goto *dispatch[*pc++];
dec:
  stack[sp - 1]--;
  goto *dispatch[*pc++];
print:
  put_hex((u64)stack[sp - 1]);
  goto *dispatch[*pc++];
halt:
  return sp > 0 ? stack[sp - 1] : -1;
}

/* comp-goto-1's shape: offsets from a base label computed at run time from an absolute table. */
__attribute__((noinline, noclone)) static u32 relocated_program(u32 *program, u32 n) {
  static void *const handlers[] = { &&inc, &&twice, &&stop };
  void *base = &&start;
  for (u32 i = 0; i < n; i++) program[i] = (u32)((char *)handlers[program[i]] - (char *)base);
  u32 acc = 3;
  u32 *ip = program;
start:
  goto *((char *)base + (int)*ip++);
inc:
  acc += 5;
  goto *((char *)base + (int)*ip++);
twice:
  acc *= 2;
  goto *((char *)base + (int)*ip++);
stop:
  return acc;
}

/* 920721-4's shape: a nested function returns its parent's labels; the parent's own code forms none. */
__attribute__((noinline, noclone)) static i32 nested_labels(i32 num) {
  __label__ one, two, three, other;
  __attribute__((noinline)) void *pick(i32 n) {
    switch (n) {
      case 1: return &&one;
      case 2: return &&two;
      case 3: return &&three;
      default: return &&other;
    }
  }
  goto *pick(num);
one:
  return 10;
two:
  return 20;
three:
  return 30;
other:
  return -1;
}

void _start(void) {
  for (i32 n = 0; n < 5; n++) put_hex((u64)nested_labels(n));
  for (u32 x = 0; x < 8; x++) {
    put_hex(int_differences(x));
    put_hex(short_differences(x, x * 31 + 4));
  }
  /* A countdown loop (prints 5 to 1), then arithmetic with every other handler. */
  static const signed char countdown[] = { OP_PUSH, 5, OP_PRINT, OP_DEC, OP_DUP, OP_JNZ, -4, OP_HALT };
  put_hex((u64)run(countdown));
  static const signed char arithmetic[] = { OP_PUSH, 9, OP_DUP, OP_MUL, OP_PRINT, OP_PUSH, 3, OP_SWAP, OP_PUSH, 100, OP_ADD, OP_PRINT, OP_MUL, OP_HALT };
  put_hex((u64)run(arithmetic));
  u32 program[] = { 0, 1, 0, 1, 1, 0, 2 };
  put_hex(relocated_program(program, 7));
  sink = 1;
  exit_with(7);
}
