// engine: one `recomp automate` per work root at a time. The lock is the highest-numbered
// `<state>/lock.<n>` file; it names its owner (pid and start time, so a reused pid is not mistaken for
// it), the owner's run id and the process groups of its running commands. A run takes the lock by
// linking a complete file to `lock.<n+1>`, which only one of any number of concurrent runs can do,
// and keeps it only if no higher number appeared meanwhile. A lock whose owner is dead is stale: the
// new owner stops what the dead run left running before any stage starts.
import { link, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { RecompError } from "../util/errors.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import type { LockFile } from "./lock-file.js";
import { processStartTime, stopLeftovers } from "./processes.js";

const lockName = /^lock\.(\d+)$/;

function ownerAlive(owner: LockFile): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const start = processStartTime(owner.pid);
  return owner.start === null || start === undefined || start === owner.start;
}

async function readLock(path: string): Promise<LockFile | undefined> {
  try {
    // The format's schema loads only when a lock exists: the no-op replay takes the lock on a free work root without it.
    const { lockFileSchema } = await import("./lock-file.js");
    const parsed = lockFileSchema.safeParse(JSON.parse(await readFile(path, "utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function lockNumbers(stateDir: string): Promise<number[]> {
  const names = await readdir(stateDir).catch(() => []);
  return names.flatMap((name) => {
    const match = lockName.exec(name);
    return match?.[1] === undefined ? [] : [Number(match[1])];
  }).sort((a, b) => b - a);
}

export interface WorkRootLock {
  /** How many processes of a dead run were stopped when the lock was taken over. */
  stoppedLeftovers: number;
  /** Records a command's process group (before it can outlive this run). */
  addGroup(pgid: number): Promise<void>;
  removeGroup(pgid: number): Promise<void>;
  release(): Promise<void>;
}

function heldError(owner: LockFile, workRoot: string, file: string): RecompError {
  return new RecompError({
    code: "lock_held",
    message: `another recomp automate (pid ${owner.pid}) is running on the work root ${workRoot}`,
    location: { file },
    hint: "wait for it to finish or stop it; two runs on one work root would overwrite each other",
  });
}

export async function acquireLock(stateDir: string, workRoot: string, runId: string): Promise<WorkRootLock> {
  await mkdir(stateDir, { recursive: true });
  const mine: LockFile = { pid: process.pid, start: processStartTime(process.pid) ?? null, run_id: runId, groups: [] };
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const numbers = await lockNumbers(stateDir);
    const top = numbers[0];
    if (top !== undefined) {
      const owner = await readLock(join(stateDir, `lock.${top}`));
      if (owner !== undefined && ownerAlive(owner)) throw heldError(owner, workRoot, join(stateDir, `lock.${top}`));
    }
    const next = (top ?? 0) + 1;
    const path = join(stateDir, `lock.${next}`);
    const candidate = join(stateDir, `.lock-candidate.${process.pid}.${attempt}`);
    await writeFile(candidate, JSON.stringify(mine));
    try {
      await link(candidate, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      continue;
    } finally {
      await rm(candidate, { force: true });
    }
    // A run that read an older listing may have linked a lower number: the highest number wins.
    if ((await lockNumbers(stateDir)).some((n) => n > next)) {
      await rm(path, { force: true });
      continue;
    }
    const stopped = await takeOverStale(stateDir, workRoot, numbers);
    return lockHandle(path, mine, stopped);
  }
  throw new RecompError({ code: "lock_held", message: `cannot take the lock in ${stateDir}: other runs keep taking it`, location: { file: stateDir } });
}

/** The temporary files of writeFileAtomic (`.<name>.<pid>.<n>.tmp`): a killed run leaves them half-written. */
const atomicWriteTemp = /^\..+\.\d+\.\d+\.tmp$/;

/** Removes the atomic-write temporaries a killed run left anywhere under the work root (only recomp writes there). */
async function removeDeadRunTemporaries(workRoot: string): Promise<void> {
  const entries = await readdir(workRoot, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (entry.isFile() && atomicWriteTemp.test(entry.name)) await rm(join(entry.parentPath, entry.name), { force: true });
  }
}

/** Stops what the dead owners of the older lock files left running and removes their temporaries, then those files. */
async function takeOverStale(stateDir: string, workRoot: string, numbers: readonly number[]): Promise<number> {
  let stopped = 0;
  let deadOwner = false;
  for (const n of numbers) {
    const path = join(stateDir, `lock.${n}`);
    const owner = await readLock(path);
    if (owner !== undefined && !ownerAlive(owner)) {
      deadOwner = true;
      stopped += await stopLeftovers(owner.run_id, owner.groups);
    }
    await rm(path, { force: true });
  }
  if (deadOwner) await removeDeadRunTemporaries(workRoot);
  return stopped;
}

function lockHandle(path: string, mine: LockFile, stoppedLeftovers: number): WorkRootLock {
  const groups = new Set<number>();
  const save = () => writeFileAtomic(path, JSON.stringify({ ...mine, groups: [...groups].sort((a, b) => a - b) }));
  return {
    stoppedLeftovers,
    async addGroup(pgid) {
      groups.add(pgid);
      await save();
    },
    async removeGroup(pgid) {
      groups.delete(pgid);
      await save();
    },
    release: () => rm(path, { force: true }),
  };
}
