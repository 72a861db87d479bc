// Benchmark helper: CPU time that the machine's other tenants do not inflate as much as wall time.
import { readFileSync } from "node:fs";

/** CPU seconds of this process's finished children (user + system), from /proc/self/stat. */
export function childrenCpu(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").replace(/^.*\) /, "").split(" ");
  // After the command name: state is field 3, so cutime (16) and cstime (17) sit at 13 and 14.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}
