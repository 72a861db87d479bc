/*
 * runtime/core/a64: the scalar FP helpers that do FP arithmetic in all its cases (fp_scalar.h declares them and
 * inlines the native fast path in front of them), compiled once for the whole program: inlined with their
 * FPCR/FPSR handling at every use, they were most of an FP-using unit's compile time.
 */
#include "fp_scalar.h"

/* Each takes its constant operands packed by rt_slow_form (slow_call.h), in the order of its inline caller. */
uint64_t rt_a64_fp_arith_general(recomp_cpu *cpu, uint64_t form, uint64_t a, uint64_t b) {
  int op = rt_slow_field(form, 0), fmt = rt_slow_field(form, 1);
  rt_fp f = rt_fp_begin(cpu);
  uint64_t r = rt_fp_arith(&f, op, rt_fp_value(a, fmt), rt_fp_value(b, fmt), fmt);
  rt_fp_commit(cpu, &f);
  return rt_fp_value(r, fmt);
}

uint64_t rt_a64_fp_minmax_general(recomp_cpu *cpu, uint64_t form, uint64_t a, uint64_t b) {
  int is_max = rt_slow_field(form, 0), nm = rt_slow_field(form, 1), fmt = rt_slow_field(form, 2);
  rt_fp f = rt_fp_begin(cpu);
  uint64_t r = rt_fp_minmax(&f, is_max, nm, rt_fp_value(a, fmt), rt_fp_value(b, fmt), fmt);
  rt_fp_commit(cpu, &f);
  return rt_fp_value(r, fmt);
}

uint64_t rt_a64_fp_muladd_general(recomp_cpu *cpu, uint64_t form, uint64_t n, uint64_t m, uint64_t a) {
  int neg_addend = rt_slow_field(form, 0), neg_product = rt_slow_field(form, 1), fmt = rt_slow_field(form, 2);
  rt_fp f = rt_fp_begin(cpu);
  uint64_t sign = rt_fp_sign_bit(fmt);
  uint64_t addend = rt_fp_value(a, fmt) ^ (neg_addend ? sign : 0), x = rt_fp_value(n, fmt) ^ (neg_product ? sign : 0);
  uint64_t r = rt_fp_muladd(&f, addend, x, rt_fp_value(m, fmt), fmt);
  rt_fp_commit(cpu, &f);
  return rt_fp_value(r, fmt);
}

uint64_t rt_a64_fp_sqrt_general(recomp_cpu *cpu, uint64_t form, uint64_t v) {
  int fmt = rt_slow_field(form, 0);
  rt_fp f = rt_fp_begin(cpu);
  uint64_t r = rt_fp_sqrt(&f, rt_fp_value(v, fmt), fmt);
  rt_fp_commit(cpu, &f);
  return rt_fp_value(r, fmt);
}

uint64_t rt_a64_fp_frint_general(recomp_cpu *cpu, uint64_t form, uint64_t v) {
  int mode = rt_slow_field(form, 0), exact = rt_slow_field(form, 1), fmt = rt_slow_field(form, 2);
  rt_fp f = rt_fp_begin(cpu);
  unsigned rounding = mode < 0 ? rt_fpcr_rmode(f.fpcr) : (unsigned)mode;
  uint64_t r = rt_fp_round_int(&f, rt_fp_value(v, fmt), fmt, rounding, exact);
  rt_fp_commit(cpu, &f);
  return rt_fp_value(r, fmt);
}

uint64_t rt_a64_fp_fcvt_general(recomp_cpu *cpu, uint64_t form, uint64_t v) {
  int from = rt_slow_field(form, 0), to = rt_slow_field(form, 1);
  rt_fp f = rt_fp_begin(cpu);
  uint64_t r = rt_fp_convert_any(&f, rt_fp_value(v, from), from, to);
  rt_fp_commit(cpu, &f);
  return rt_fp_value(r, to);
}

/* `b` is already the second operand (+0.0 for the with-zero forms); the result is NZCV. */
uint64_t rt_a64_fp_compare_general(recomp_cpu *cpu, uint64_t form, uint64_t a, uint64_t b) {
  int signal_all = rt_slow_field(form, 0), fmt = rt_slow_field(form, 1);
  rt_fp f = rt_fp_begin(cpu);
  unsigned nzcv = rt_fp_compare(&f, rt_fp_value(a, fmt), rt_fp_value(b, fmt), fmt, signal_all);
  rt_fp_commit(cpu, &f);
  return nzcv;
}

uint64_t rt_a64_fp_to_int_general(recomp_cpu *cpu, uint64_t form, uint64_t v) {
  int mode = rt_slow_field(form, 0), is_signed = rt_slow_field(form, 1), bits = rt_slow_field(form, 2);
  int fbits = rt_slow_field(form, 3), fmt = rt_slow_field(form, 4);
  rt_fp f = rt_fp_begin(cpu);
  uint64_t r = rt_fp_to_int(&f, rt_fp_value(v, fmt), fmt, fbits, (unsigned)mode, is_signed, bits);
  rt_fp_commit(cpu, &f);
  return r;
}

#if defined(__GNUC__) && defined(__x86_64__)
/*
 * rt_slow_call*'s trampoline (slow_call.h): called with the helper's address in rax, the CPU state in rdi and the
 * other arguments in r8-r11, which it moves to the System V argument registers; keeps rcx, rdx, rsi, rdi, r8-r11
 * (rbx, rbp, r12-r15 the helper keeps) and calls the helper with the stack 16-aligned.
 */
__asm__(".text\n"
        "\t.globl rt_slow_call_x86\n"
        "\t.type rt_slow_call_x86, @function\n"
        "rt_slow_call_x86:\n"
        "\tpush %rbp\n\tmov %rsp, %rbp\n"
        "\tpush %rcx\n\tpush %rdx\n\tpush %rsi\n\tpush %rdi\n\tpush %r8\n\tpush %r9\n\tpush %r10\n\tpush %r11\n"
        "\tmov %r8, %rsi\n\tmov %r9, %rdx\n\tmov %r10, %rcx\n\tmov %r11, %r8\n"
        "\tand $-16, %rsp\n\tcall *%rax\n\tlea -64(%rbp), %rsp\n"
        "\tpop %r11\n\tpop %r10\n\tpop %r9\n\tpop %r8\n\tpop %rdi\n\tpop %rsi\n\tpop %rdx\n\tpop %rcx\n"
        "\tpop %rbp\n\tret\n"
        "\t.size rt_slow_call_x86, .-rt_slow_call_x86\n");
#endif
