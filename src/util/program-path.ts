// util: finding a program as exec would: a path is taken as it is, a bare name is searched in PATH.
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

export type ProgramState = "ok" | "missing" | "not_executable";

/**
 * Whether `path` is a regular file this process may execute. Synchronous: a PATH search tries one folder after
 * the other, and each asynchronous call would wait for the thread pool (issue 11).
 */
export function executableState(path: string): ProgramState {
  let info;
  try {
    info = statSync(path, { throwIfNoEntry: false });
  } catch {
    return "missing";
  }
  if (info === undefined || !info.isFile()) return "missing";
  try {
    accessSync(path, constants.X_OK);
    return "ok";
  } catch {
    return "not_executable";
  }
}

/** The first executable `program` in PATH; else whether one was found that may not be executed. */
export function searchPath(program: string, path = process.env.PATH ?? ""): { found?: string; state: ProgramState } {
  let state: ProgramState = "missing";
  for (const folder of path.split(delimiter).filter((d) => d !== "")) {
    const candidate = join(folder, program);
    const found = executableState(candidate);
    if (found === "ok") return { found: candidate, state: found };
    if (found === "not_executable") state = found;
  }
  return { state };
}
