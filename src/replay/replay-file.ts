// replay: the `recomp-replay 1` text file the C runtime services read (docs/runtime-services.md).
import type { ReplaySchedule } from "./schedule.js";

export const replayFileMagic = "recomp-replay 1";

/** One line per entry, in schedule order; names as JSON strings (the runtime copies them into its log). */
export function formatReplayFile(schedule: ReplaySchedule): string {
  const lines = [replayFileMagic];
  for (const entry of schedule.entries) {
    lines.push(
      entry.kind === "event"
        ? `event ${entry.frame} ${entry.code} ${entry.value} ${JSON.stringify(entry.name)}`
        : `marker ${entry.frame} ${JSON.stringify(entry.name)}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
