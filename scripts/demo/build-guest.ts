/**
 * scripts/demo: builds the demo NRO: aarch64-linux-gnu-gcc (freestanding, static, no libc, integer
 * registers only) links an ELF with guest.ld, then `elfToNro` packs it (the code behind
 * `recomp tools elf2nro`). Sources are named relative to their folder and the ELF is stripped, so
 * the bytes depend only on the sources and the compiler version.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { execa } from "execa";
import { elfToNro, withFileSource, type PackedNro } from "../../src/formats/index.js";
import { demoSourceDir, servicesDir } from "./paths.js";

export const guestCompiler = "aarch64-linux-gnu-gcc";

export const guestFlags = [
  "-O2",
  "-std=gnu11",
  "-mgeneral-regs-only",
  "-ffreestanding",
  "-fno-builtin",
  "-nostdlib",
  "-static",
  "-fno-pic",
  "-fno-pie",
  "-no-pie",
  "-fno-asynchronous-unwind-tables",
  "-fno-unwind-tables",
  "-fno-stack-protector",
  "-fno-tree-loop-distribute-patterns",
  "-ffunction-sections",
  "-fdata-sections",
  "-Wall",
  "-Wextra",
  "-Werror",
  "-s",
  "-Wl,--gc-sections",
  "-Wl,--build-id=sha1",
  "-Wl,-z,max-page-size=0x1000",
  "-Wl,-T,guest.ld",
];

export const guestSources = ["guest_start.S", "demo.c"];

/** Compiles and packs the demo; the ELF lives in a temporary folder that is always removed. */
export async function buildDemoNro(): Promise<PackedNro> {
  const work = await mkdtemp(join(tmpdir(), "recomp-demo-guest-"));
  try {
    const elf = join(work, "demo.elf");
    const include = relative(demoSourceDir, servicesDir);
    await execa(guestCompiler, [...guestFlags, `-I${include}`, "-o", elf, ...guestSources], { cwd: demoSourceDir });
    return await withFileSource(elf, "demo.elf", elfToNro);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
