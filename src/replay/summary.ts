// replay: a short, readable summary of a scheduled input script (what `recomp replay check` prints).
import { formatTimecode } from "../config/timecode.js";
import type { InputScript } from "../config/input-script.js";
import type { ReplaySchedule } from "./schedule.js";

export interface ReplaySummary {
  title: string;
  controller: string;
  timingMode: "ms" | "frames";
  fps: number;
  events: number;
  markers: { name: string; frame: number; time: string }[];
  /** Event count per control name, sorted by name. */
  controls: Record<string, number>;
  firstFrame: number | null;
  lastFrame: number | null;
}

export function summarizeReplay(script: InputScript, schedule: ReplaySchedule): ReplaySummary {
  const controls: Record<string, number> = {};
  let events = 0;
  for (const entry of schedule.entries) {
    if (entry.kind !== "event") continue;
    events += 1;
    controls[entry.name] = (controls[entry.name] ?? 0) + 1;
  }
  const sortedControls = Object.fromEntries(Object.entries(controls).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const markers = schedule.entries
    .filter((entry) => entry.kind === "marker")
    .map((entry) => ({ name: entry.name, frame: entry.frame, time: formatTimecode(entry.frame / schedule.fps) }));
  // Entries are sorted by frame: the span is the first and the last.
  const first = schedule.entries[0];
  const last = schedule.entries[schedule.entries.length - 1];
  return {
    title: script.metadata.title,
    controller: script.metadata.controller,
    timingMode: schedule.timingMode,
    fps: schedule.fps,
    events,
    markers,
    controls: sortedControls,
    firstFrame: first === undefined ? null : first.frame,
    lastFrame: last === undefined ? null : last.frame,
  };
}

export function formatReplaySummary(summary: ReplaySummary): string {
  const span =
    summary.firstFrame === null || summary.lastFrame === null
      ? "no entries"
      : `frames ${summary.firstFrame}..${summary.lastFrame} (${formatTimecode(summary.firstFrame / summary.fps)}..${formatTimecode(summary.lastFrame / summary.fps)} at ${summary.fps} fps)`;
  const lines = [
    `input script "${summary.title}" (${summary.controller}, timing ${summary.timingMode}): ok`,
    `  ${summary.events} events, ${summary.markers.length} markers, ${span}`,
    `  controls: ${Object.entries(summary.controls).map(([name, count]) => `${name} x${count}`).join(", ") || "none"}`,
    ...summary.markers.map((marker) => `  marker "${marker.name}" at frame ${marker.frame} (${marker.time})`),
  ];
  return `${lines.join("\n")}\n`;
}
