// Advanced SIMD shift by immediate (vector, scalar, narrowing, long) and modified immediate against qemu-aarch64.
import { describeAgainstQemu, vdn } from "./simd-groups.js";

describeAgainstQemu("Advanced SIMD shifts and immediates", [
  ["shift by immediate and modified immediate", [
    { name: "shift by immediate", mask: 0x9f800400, value: 0x0f000400, registers: vdn },
    { name: "scalar shift by immediate", mask: 0xdfc00400, value: 0x5f400400, registers: vdn },
    { name: "scalar shift narrow", mask: 0xdfc08400, value: 0x5f008400, registers: vdn },
    { name: "modified immediate", mask: 0x9ff80c00, value: 0x0f000400, registers: [0] },
  ], 10_300],
]);
