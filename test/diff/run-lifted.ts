// The second half of a differential test: a lifted module.json emitted (linux personality), made and run.
import { join } from "node:path";
import { execa } from "execa";
import { emitProject } from "../../src/emit/index.js";

/** Emits `modulePath` into `buildDir`, builds it with `CFLAGS=-O1` and runs it: its stdout, stderr and exit status. */
export async function runLifted(modulePath: string, buildDir: string): Promise<{ stdout: string; stderr: string; exitCode: number | undefined }> {
  const emitted = await emitProject({ moduleJsonPath: modulePath, outDir: buildDir, personality: "linux" });
  await execa("make", ["-s", "-C", buildDir, "CFLAGS=-O1"]);
  const run = await execa(join(buildDir, emitted.executable), [], { reject: false });
  return { stdout: run.stdout, stderr: run.stderr, exitCode: run.exitCode };
}
