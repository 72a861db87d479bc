/*
 * demo: start of the NRO image (guest build only). Offset 0 holds the NRO start (a branch over
 * the header and the MOD0 offset), 0x10..0x80 is left zero for the NRO header that
 * `recomp tools elf2nro` writes, and the MOD0 header follows at 0x80.
 */
  .section .text.crt0, "ax", %progbits
  .global _start
_start:
  b start_c
  .word __mod0 - _start
  .word 0, 0
  .space 0x70

  .align 2
__mod0:
  .ascii "MOD0"
  .word __dynamic_start - __mod0
  .word __bss_start - __mod0
  .word __bss_end - __mod0
  .word __eh_frame_hdr_start - __mod0
  .word __eh_frame_hdr_end - __mod0
  .word __module_object - __mod0

start_c:
  bl demo_main
  svc #0x07 /* svcExitProcess: never returns */
1:
  b 1b
