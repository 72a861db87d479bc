// replay: an input script as a frame-ordered schedule of control changes and markers (stable order).
import { eventControl, type InputScript } from "../config/input-script.js";
import { RecompError, throwIfAny } from "../util/errors.js";

export interface ScheduledEvent {
  kind: "event";
  frame: number;
  code: number;
  /** The control's canonical name (what the replay log shows). */
  name: string;
  value: number;
  /** Position in the script's `events` list. */
  index: number;
}

export interface ScheduledMarker {
  kind: "marker";
  frame: number;
  name: string;
  /** Position in the script's `markers` list. */
  index: number;
}

export type ScheduledEntry = ScheduledEvent | ScheduledMarker;

export interface ReplaySchedule {
  fps: number;
  timingMode: "ms" | "frames";
  /** Sorted by frame; within a frame events in script order, then markers in script order. */
  entries: ScheduledEntry[];
}

/** The replay file stores names as short printable-ASCII strings (the C runtime's line buffer). */
export const maxMarkerNameLength = 128;

/** First frame that starts at or after `timeMs`: ceil(timeMs * fps / 1000), exact in integers. */
export function frameAtMs(timeMs: number, fps: number): number {
  return Number((BigInt(timeMs) * BigInt(fps) + 999n) / 1000n);
}

/**
 * Resolves times to frames and controls to codes. Throws every problem at once, each naming its
 * entry (`events[3].control`): codes without a meaning for the runtime, marker names the replay
 * file cannot carry.
 */
export function scheduleInputScript(script: InputScript, fps: number, file: string): ReplaySchedule {
  const errors: RecompError[] = [];
  const frameOf = (entry: { time_ms?: number; frame?: number }): number =>
    script.metadata.timing_mode === "ms" ? frameAtMs(entry.time_ms ?? 0, fps) : (entry.frame ?? 0);

  const events: ScheduledEvent[] = [];
  (script.events ?? []).forEach((event, index) => {
    const control = eventControl(event.control);
    if (control === undefined) {
      errors.push(
        new RecompError({
          code: "config_invalid",
          message: `control code ${String(event.control)} has no meaning for the recomp runtime`,
          location: { file, keyPath: `events[${index}].control` },
          hint: "use a named control (a, b, dpad_left, stick_l_x, ...) or its code: 0-15 buttons, 256-259 stick axes",
        }),
      );
      return;
    }
    events.push({ kind: "event", frame: frameOf(event), code: control.code, name: control.name, value: event.value, index });
  });

  const markers: ScheduledMarker[] = [];
  (script.markers ?? []).forEach((marker, index) => {
    if (!/^[\x20-\x7e]+$/.test(marker.name) || JSON.stringify(marker.name).length - 2 > maxMarkerNameLength) {
      errors.push(
        new RecompError({
          code: "config_invalid",
          message: `marker name "${marker.name}" is not 1..${maxMarkerNameLength} printable ASCII characters (a quote or backslash counts twice)`,
          location: { file, keyPath: `markers[${index}].name` },
          hint: "rename the marker with plain ASCII letters, digits, spaces and punctuation",
        }),
      );
      return;
    }
    markers.push({ kind: "marker", frame: frameOf(marker), name: marker.name, index });
  });
  throwIfAny(errors);

  // Array.prototype.sort is stable: equal frames keep events-then-markers, each in script order.
  const entries: ScheduledEntry[] = [...events, ...markers].sort((a, b) => a.frame - b.frame);
  return { fps, timingMode: script.metadata.timing_mode, entries };
}
