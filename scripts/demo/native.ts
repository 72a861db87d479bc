/**
 * scripts/demo: the native reference build of the demo (host `cc`, the same C source, the host
 * services of runtime/services called directly) and running it on a replay file.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { demoSourceDir, servicesDir } from "./paths.js";

export const nativeCompiler = "cc";
export const nativeFlags = ["-O2", "-std=c11", "-Wall", "-Wextra", "-Werror", "-DRECOMP_DEMO_NATIVE"];

/** Every source of the native build, as paths (the demo, its native entry, all host services). */
export async function nativeSources(): Promise<string[]> {
  const services = (await readdir(servicesDir)).filter((name) => name.endsWith(".c")).sort();
  return [join(demoSourceDir, "demo.c"), join(demoSourceDir, "native_main.c"), ...services.map((name) => join(servicesDir, name))];
}

/** The argv of the native build: `cc <flags> -I runtime/services -o OUT <sources>`. */
export async function nativeBuildCommand(output: string): Promise<string[]> {
  return [nativeCompiler, ...nativeFlags, `-I${servicesDir}`, "-o", output, ...(await nativeSources())];
}

export async function buildNativeDemo(output: string): Promise<void> {
  const command = await nativeBuildCommand(output);
  await execa(nativeCompiler, command.slice(1));
}

export interface NativeRun {
  /** Capture root (frames/, audio.wav, replay-log.jsonl); undefined runs with --no-capture. */
  captureDir?: string;
  replayFile?: string;
}

export async function runNativeDemo(binary: string, run: NativeRun): Promise<void> {
  const args = run.captureDir === undefined ? ["--no-capture"] : ["--capture-dir", run.captureDir];
  if (run.replayFile !== undefined) args.push("--replay", run.replayFile);
  // A clean environment for the services: options come from argv only.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("RECOMP_")));
  await execa(binary, args, { env, extendEnv: false });
}
