// util: finding a program as exec would: a path is taken as it is, a bare name is searched in PATH.
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { delimiter, join } from "node:path";

export type ProgramState = "ok" | "missing" | "not_executable";

/** Whether `path` is a regular file this process may execute. */
export async function executableState(path: string): Promise<ProgramState> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isFile()) return "missing";
  return access(path, constants.X_OK).then(
    () => "ok" as const,
    () => "not_executable" as const,
  );
}

/** The first executable `program` in PATH; else whether one was found that may not be executed. */
export async function searchPath(program: string, path = process.env.PATH ?? ""): Promise<{ found?: string; state: ProgramState }> {
  let state: ProgramState = "missing";
  for (const folder of path.split(delimiter).filter((d) => d !== "")) {
    const candidate = join(folder, program);
    const found = await executableState(candidate);
    if (found === "ok") return { found: candidate, state: found };
    if (found === "not_executable") state = found;
  }
  return { state };
}
