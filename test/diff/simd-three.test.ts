// Advanced SIMD three same and three different (integer, vector and scalar) against qemu-aarch64.
import { describeAgainstQemu, vdnm } from "./simd-groups.js";

describeAgainstQemu("Advanced SIMD three same/different", [
  ["three same and three different", [
    { name: "three same", mask: 0x9f200400, value: 0x0e200400, registers: vdnm },
    { name: "scalar three same", mask: 0xdf200400, value: 0x5e200400, registers: vdnm },
    { name: "three different", mask: 0x9f200c00, value: 0x0e200000, registers: vdnm },
    { name: "scalar three different", mask: 0xff209c00, value: 0x5e209000, registers: vdnm },
  ], 10_100],
], 250);
