// engine: one `recomp automate` per work root at a time (an exclusive lock file with the owner's pid).
import { mkdir, open, readFile, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { RecompError } from "../util/errors.js";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface WorkRootLock {
  release(): Promise<void>;
}

export async function acquireLock(lockFile: string, workRoot: string): Promise<WorkRootLock> {
  await mkdir(dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(lockFile, "wx");
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return { release: () => rm(lockFile, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number.parseInt(await readFile(lockFile, "utf8").catch(() => ""), 10);
    if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
      throw new RecompError({
        code: "lock_held",
        message: `another recomp automate (pid ${owner}) is running on the work root ${workRoot}`,
        location: { file: lockFile },
        hint: "wait for it to finish or stop it; two runs on one work root would overwrite each other",
      });
    }
    // The owner is gone (killed without cleanup): the lock is stale.
    await rm(lockFile, { force: true });
  }
  throw new RecompError({ code: "lock_held", message: `cannot take the lock ${lockFile}`, location: { file: lockFile } });
}
