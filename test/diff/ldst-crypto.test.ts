// AES, SHA-1 and SHA-256 instructions against qemu-aarch64, on random V registers.
import { describe, expect, it } from "vitest";
import { requireTools } from "../helpers/tools.js";
import { differences, makeCases, type InstructionClass } from "./a64-harness.js";

const classes: InstructionClass[] = [
  { name: "aese/aesd/aesmc/aesimc", mask: 0xffffcc00, value: 0x4e284800, registers: [0, 5] },
  { name: "sha1c/p/m, sha1su0, sha256h/h2, sha256su1", mask: 0xffe08c00, value: 0x5e000000, registers: [0, 5, 16] },
  { name: "sha1h, sha1su1, sha256su0", mask: 0xffffcc00, value: 0x5e280800, registers: [0, 5] },
];

describe.runIf(requireTools("aarch64-linux-gnu-gcc", "qemu-aarch64", "cc", "make"))("crypto vs qemu-aarch64", () => {
  it("gives qemu's V registers for every AES and SHA instruction", async () => {
    const cases = makeCases(classes, 80, 9900);
    for (const cls of classes) expect(cases.filter((c) => c.owner === cls.name).length, cls.name).toBe(80);
    expect(await differences(cases)).toEqual([]);
  }, 180_000);
});
