// validate: where each [[timeline.events]] shows up in the capture (an observation, else the alignment) and its drift.
import { formatTimecode, parseTimecode } from "../config/timecode.js";
import type { ValidationReport } from "../config/validation-report.js";
import type { FrameDetail } from "./frame-compare.js";
import { round } from "./numbers.js";

type EventResult = ValidationReport["events"][number];

export interface EventInput {
  events: ReadonlyArray<{ name: string; time: number | string }>;
  observations: ReadonlyArray<{ name: string; time: number | string }>;
  /** Reference window, in frames [start, end). */
  window: { start: number; end: number };
  referenceFps: number;
  captureFps: number;
  /** Capture frame where the reference window starts. */
  captureStartFrame: number;
  detail: FrameDetail;
  maxDriftSeconds: number;
}

/** The capture frame shown for window frame `i`, or the nearest paired neighbour's, shifted accordingly. */
function alignedCaptureFrame(detail: FrameDetail, i: number): number | undefined {
  for (let distance = 0; distance < detail.captureFrame.length; distance += 1) {
    for (const k of [i - distance, i + distance]) {
      const cap = detail.captureFrame[k];
      if (cap !== undefined) return cap + (i - k);
    }
  }
  return undefined;
}

export function locateEvents(input: EventInput): EventResult[] {
  const { window, referenceFps, captureFps } = input;
  const observed = new Map<string, number>();
  for (const o of input.observations) {
    const seconds = parseTimecode(o.time);
    if (seconds !== undefined && !observed.has(o.name)) observed.set(o.name, seconds);
  }
  return input.events.map((event): EventResult => {
    const seconds = parseTimecode(event.time) ?? 0;
    const reference_time = formatTimecode(seconds);
    const i = Math.round(seconds * referenceFps) - window.start;
    if (i < 0 || i >= window.end - window.start) return { name: event.name, reference_time, source: "outside_window", passed: true };
    // Where the event should be if the capture kept the reference's pace from the aligned start.
    const expected = (i + input.captureStartFrame) / captureFps;
    const fromObservation = observed.get(event.name);
    const aligned = alignedCaptureFrame(input.detail, i);
    const actual = fromObservation ?? (aligned === undefined ? undefined : aligned / captureFps);
    // An alignment that puts the event before the capture's first frame (a short capture of a static picture) found nothing.
    if (actual === undefined || actual < 0) {
      return { name: event.name, reference_time, expected_capture_time: formatTimecode(Math.max(0, expected)), source: "not_found", passed: false };
    }
    const drift = round(actual - expected, 3);
    return {
      name: event.name,
      reference_time,
      expected_capture_time: formatTimecode(Math.max(0, expected)),
      observed_capture_time: formatTimecode(actual),
      source: fromObservation === undefined ? "alignment" : "observation",
      drift_seconds: drift,
      passed: Math.abs(drift) <= input.maxDriftSeconds + 1e-9,
    };
  });
}
