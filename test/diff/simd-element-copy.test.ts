// Advanced SIMD by element (vector and scalar), copy, permutes, ext and tbl/tbx against qemu-aarch64.
import { describeAgainstQemu, vdn, vdnm } from "./simd-groups.js";

// Two programs: one function of 1,400 cases overflows the emitter's stack (emit-c.ts pushes a body as arguments).
describeAgainstQemu("Advanced SIMD by element, copy and permutes", [
  ["by element and copy", [
    { name: "by element", mask: 0x9f000400, value: 0x0f000000, registers: vdnm },
    { name: "scalar by element", mask: 0xff001400, value: 0x5f001000, registers: vdnm },
    { name: "copy", mask: 0x9fe08400, value: 0x0e000400, registers: vdn },
    { name: "scalar copy", mask: 0xffe0fc00, value: 0x5e000400, registers: vdn },
  ], 10_400],
  ["permutes, ext, tbl/tbx and halfword indices", [
    // Halfword elements take index bit M (bit 20) from the Rm field, which forcing registers to 0..7 clears.
    { name: "by element (M=1)", mask: 0x9f000400, value: 0x0f100000, registers: vdnm, fixed: [[20, 1, 1]] },
    { name: "permute", mask: 0xbf208c00, value: 0x0e000800, registers: vdnm },
    { name: "extract", mask: 0xbfe08400, value: 0x2e000000, registers: vdnm },
    { name: "table lookup", mask: 0xbfe08c00, value: 0x0e000000, registers: vdnm },
  ], 10_500],
], 200);
