// Benchmark helper: CPU time that the machine's other tenants do not inflate as much as wall time.
import { readFileSync } from "node:fs";

/** CPU seconds of this process's finished children (user + system), from /proc/self/stat. */
export function childrenCpu(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").replace(/^.*\) /, "").split(" ");
  // After the command name: state is field 3, so cutime (16) and cstime (17) sit at 13 and 14.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/**
 * Runs `run` and prints its wall time, this process's CPU time, and all CPU time including finished
 * children (ffmpeg, a CLI run): the machine is shared, and CPU time shows our own cost whatever the load.
 */
export async function timed<T>(what: string, run: () => Promise<T> | T): Promise<{ value: T; seconds: number; cpu: number; totalCpu: number }> {
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const childrenStart = childrenCpu();
  const value = await run();
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpuStart);
  const cpu = (used.user + used.system) / 1e6;
  const totalCpu = cpu + childrenCpu() - childrenStart;
  console.log(`${what}: ${elapsed.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU in node, ${totalCpu.toFixed(2)} s CPU in all`);
  return { value, seconds: elapsed, cpu, totalCpu };
}
