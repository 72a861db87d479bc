// engine: the processes a dead run left behind. Every process a run starts (stage commands and the
// tools of internal stages) inherits RECOMP_RUN_ID; command stages also get their own process group,
// which the run records in its lock. A run taking over a stale lock stops exactly those: a recorded
// group whose members carry the dead run's id, and any other process that carries it.
import { readdirSync, readFileSync } from "node:fs";

/** The kernel's start time of a process (clock ticks since boot), or undefined when it is gone. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces and parentheses): state is field 3.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19];
  } catch {
    return undefined;
  }
}

function processGroupOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
  } catch {
    return undefined;
  }
}

function carriesRunId(pid: number, runId: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(`RECOMP_RUN_ID=${runId}`);
  } catch {
    return false;
  }
}

function allPids(): number[] {
  try {
    return readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .filter((pid) => pid !== process.pid);
  } catch {
    return [];
  }
}

/** Live processes of run `runId`: members of its recorded groups or carriers of its id. */
export function leftoverProcesses(runId: string, groups: readonly number[]): { pid: number; group: number | undefined }[] {
  const out: { pid: number; group: number | undefined }[] = [];
  for (const pid of allPids()) {
    if (!carriesRunId(pid, runId)) continue;
    const group = processGroupOf(pid);
    out.push({ pid, group: group !== undefined && groups.includes(group) ? group : undefined });
  }
  return out;
}

function signal(target: number, name: NodeJS.Signals): void {
  try {
    process.kill(target, name);
  } catch {
    // Already gone.
  }
}

/** Stops what is left of a dead run and waits (up to 10 s) until none of it is alive. Returns how many. */
export async function stopLeftovers(runId: string, groups: readonly number[]): Promise<number> {
  const found = leftoverProcesses(runId, groups);
  for (const group of new Set(found.flatMap((p) => (p.group === undefined ? [] : [p.group])))) signal(-group, "SIGKILL");
  for (const p of found) signal(p.pid, "SIGKILL");
  for (let waited = 0; waited < 10_000; waited += 20) {
    if (leftoverProcesses(runId, groups).length === 0) break;
    await new Promise((done) => setTimeout(done, 20));
  }
  return found.length;
}
