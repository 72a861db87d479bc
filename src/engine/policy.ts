// engine: the [policy] rules that can be enforced locally: run windows, approval, run-time bound.
import { createInterface } from "node:readline/promises";
import { RecompError } from "../util/errors.js";

/** A weekly window in UTC: days (0 = Sunday) and minutes since midnight; end may wrap past midnight. */
export interface RunWindow {
  text: string;
  days: ReadonlySet<number>;
  startMinute: number;
  endMinute: number;
}

const dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const windowPattern = /^(?:([a-z,-]+)\s+)?(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})(?:\s*utc)?$/i;

function parseDays(spec: string): number[] | undefined {
  const days: number[] = [];
  for (const part of spec.toLowerCase().split(",")) {
    const [from, to] = part.split("-");
    const a = dayNames.indexOf(from ?? "");
    const b = to === undefined ? a : dayNames.indexOf(to);
    if (a < 0 || b < 0) return undefined;
    for (let d = a; ; d = (d + 1) % 7) {
      days.push(d);
      if (d === b) break;
    }
  }
  return days;
}

/** Parses `run_windows` entries such as "22:00-06:00" or "mon-fri 09:00-17:30" (UTC). */
export function parseRunWindows(entries: readonly string[], file: string): RunWindow[] {
  return entries.map((text, index) => {
    const match = windowPattern.exec(text.trim());
    const fail = () =>
      new RecompError({
        code: "config_invalid",
        message: `run window "${text}" is not "HH:MM-HH:MM" or "DAYS HH:MM-HH:MM" (UTC)`,
        location: { file, keyPath: `policy.run_windows[${index}]` },
        hint: 'e.g. "22:00-06:00" or "mon-fri 09:00-17:30"; days: sun mon tue wed thu fri sat',
      });
    if (match === null) throw fail();
    const days = match[1] === undefined ? [0, 1, 2, 3, 4, 5, 6] : parseDays(match[1]);
    const start = Number(match[2]) * 60 + Number(match[3]);
    const end = Number(match[4]) * 60 + Number(match[5]);
    if (days === undefined || start > 24 * 60 || end > 24 * 60 || Number(match[3]) > 59 || Number(match[5]) > 59) throw fail();
    return { text, days: new Set(days), startMinute: start, endMinute: end };
  });
}

export function insideRunWindow(windows: readonly RunWindow[], now: Date): boolean {
  if (windows.length === 0) return true;
  const minute = now.getUTCHours() * 60 + now.getUTCMinutes();
  const day = now.getUTCDay();
  return windows.some((w) => {
    if (w.startMinute <= w.endMinute) return w.days.has(day) && minute >= w.startMinute && minute < w.endMinute;
    // Wraps past midnight: the part after midnight belongs to the previous day's window.
    if (minute >= w.startMinute) return w.days.has(day);
    return minute < w.endMinute && w.days.has((day + 6) % 7);
  });
}

export function assertInsideRunWindow(windows: readonly RunWindow[], now: Date, file: string): void {
  if (insideRunWindow(windows, now)) return;
  const hh = String(now.getUTCHours()).padStart(2, "0");
  const mm = String(now.getUTCMinutes()).padStart(2, "0");
  throw new RecompError({
    code: "policy",
    message: `outside the allowed run windows (${windows.map((w) => w.text).join(", ")}); it is ${dayNames[now.getUTCDay()]} ${hh}:${mm} UTC`,
    location: { file, keyPath: "policy.run_windows" },
    hint: "run again inside a window, or change policy.run_windows",
  });
}

/** `requires_approval`: `--approve`, or a "yes" typed at an interactive prompt. */
export async function obtainApproval(required: boolean, approvedByFlag: boolean, question: string, file: string): Promise<void> {
  if (!required || approvedByFlag) return;
  if (process.stdin.isTTY === true && process.stderr.isTTY === true) {
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = (await prompt.question(`${question} [y/N] `)).trim().toLowerCase();
      if (answer === "y" || answer === "yes") return;
    } finally {
      prompt.close();
    }
  }
  throw new RecompError({
    code: "policy",
    message: "this config requires approval before it runs",
    location: { file, keyPath: "policy.requires_approval" },
    hint: "pass --approve (or answer yes at the prompt on a terminal)",
  });
}
