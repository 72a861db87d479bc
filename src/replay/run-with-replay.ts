// replay: runs a program that links the runtime services with an input script's replay file (one argv for the loop's run command).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { RecompError } from "../util/errors.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { loadInputScript } from "./load.js";
import { formatReplayFile } from "./replay-file.js";

/** How the program ended, and what it was given. */
export interface ReplayRunOutcome {
  /** The program's exit code. */
  exitCode: number;
  events: number;
  markers: number;
}

/**
 * Converts `scriptFile` into a replay file in a temporary folder, runs `argv` with
 * `--replay FILE` appended (stdio passed through; with `stdoutToStderr` the program's stdout goes
 * to recomp's stderr, keeping recomp's stdout for its own --json result), removes the folder, and
 * returns how the program ended. A bad script throws before anything runs.
 */
export async function runWithReplay(scriptFile: string, fps: number, argv: readonly string[], stdoutToStderr = false): Promise<ReplayRunOutcome> {
  const { schedule } = await loadInputScript(scriptFile, fps);
  const [program, ...args] = argv;
  if (program === undefined) throw new RecompError({ code: "usage", message: "no program to run", hint: "give it after --, e.g. -- ./demo-native --capture-dir out" });
  const work = await mkdtemp(join(tmpdir(), "recomp-replay-run-"));
  try {
    const replayFile = join(work, "replay.txt");
    await writeFileAtomic(replayFile, formatReplayFile(schedule));
    const result = await execa(program, [...args, "--replay", replayFile], { stdin: "inherit", stdout: stdoutToStderr ? 2 : "inherit", stderr: "inherit", reject: false });
    if (result.failed && result.exitCode === undefined) {
      throw new RecompError({ code: "stage_failed", message: `could not run ${program}: ${result.shortMessage}`, hint: "check the program path (build it first)" });
    }
    const events = schedule.entries.filter((entry) => entry.kind === "event").length;
    return { exitCode: result.exitCode ?? 3, events, markers: schedule.entries.length - events };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
