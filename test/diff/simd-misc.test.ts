// Advanced SIMD two-register misc (integer, vector and scalar, narrowing) and across lanes against qemu-aarch64.
import { describeAgainstQemu, vdn } from "./simd-groups.js";

describeAgainstQemu("Advanced SIMD two-register misc and across lanes", [
  ["two-register misc and across lanes", [
    { name: "two-register misc", mask: 0x9f3e0c00, value: 0x0e200800, registers: vdn },
    { name: "scalar two-register misc", mask: 0xdfff0c00, value: 0x5ee00800, registers: vdn },
    { name: "scalar narrow", mask: 0xdf3f9c00, value: 0x5e210800, registers: vdn },
    { name: "across lanes", mask: 0x9f3e6c00, value: 0x0e302800, registers: vdn },
  ], 10_200],
]);
