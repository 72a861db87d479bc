// engine: the format of a work root's lock file (lock.ts).
import { z } from "zod";

export const lockFileSchema = z.object({
  pid: z.number().describe("process id of the run holding the lock"),
  start: z.string().nullable().describe("the kernel's start time of that process (tells a reused pid apart)"),
  run_id: z.string().describe("RECOMP_RUN_ID of the run: every process it starts carries it"),
  groups: z.array(z.number()).describe("process groups of the stage commands running now"),
});
export type LockFile = z.infer<typeof lockFileSchema>;
