/**
 * scripts/demo: the native reference build of the demo (the same C source, the host services of
 * runtime/services called directly) and running it on a replay file. The reference target is the
 * host `cc`; the AArch64 Linux target (run under qemu-aarch64) shows the source behaves the same
 * on the guest architecture, so any later difference is the recompiler's.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { demoSourceDir, servicesDir } from "./paths.js";

export interface NativeTarget {
  compiler: string;
  flags: string[];
  /** Program that runs the binary (an emulator), or nothing. */
  launcher: string[];
}

const commonFlags = ["-O2", "-std=c11", "-Wall", "-Wextra", "-Werror", "-DRECOMP_DEMO_NATIVE"];

export const hostTarget: NativeTarget = { compiler: "cc", flags: commonFlags, launcher: [] };
export const aarch64LinuxTarget: NativeTarget = { compiler: "aarch64-linux-gnu-gcc", flags: [...commonFlags, "-static"], launcher: ["qemu-aarch64"] };

/** Every source of the native build, as paths (the demo, its native entry, all host services). */
export async function nativeSources(): Promise<string[]> {
  const services = (await readdir(servicesDir)).filter((name) => name.endsWith(".c")).sort();
  return [join(demoSourceDir, "demo.c"), join(demoSourceDir, "native_main.c"), ...services.map((name) => join(servicesDir, name))];
}

export async function buildNativeDemo(output: string, target: NativeTarget = hostTarget): Promise<void> {
  await execa(target.compiler, [...target.flags, `-I${servicesDir}`, "-o", output, ...(await nativeSources())]);
}

export interface NativeRun {
  /** Capture root (frames/, audio.wav, replay-log.jsonl); undefined runs with --no-capture. */
  captureDir?: string;
  replayFile?: string;
}

export async function runNativeDemo(binary: string, run: NativeRun, target: NativeTarget = hostTarget): Promise<void> {
  const args = run.captureDir === undefined ? ["--no-capture"] : ["--capture-dir", run.captureDir];
  if (run.replayFile !== undefined) args.push("--replay", run.replayFile);
  // A clean environment for the services: options come from argv only.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("RECOMP_")));
  const [program, ...launcherArgs] = [...target.launcher, binary];
  await execa(program ?? binary, [...launcherArgs, ...args], { env, extendEnv: false });
}
