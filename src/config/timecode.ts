// config: timecodes of the prior-art files: "HH:MM:SS.mmm", "MM:SS", or seconds (number or string).

/** Seconds, or undefined when the text is not a timecode. */
export function parseTimecode(value: number | string): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const match = /^(?:(\d+):)?([0-5]?\d):([0-5]?\d(?:\.\d+)?)$/.exec(text);
  if (match === null) return undefined;
  const hours = match[1] === undefined ? 0 : Number(match[1]);
  return hours * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/** Formats seconds as HH:MM:SS.mmm (what reports print). */
export function formatTimecode(seconds: number): string {
  const totalMs = Math.round(seconds * 1000);
  const ms = totalMs % 1000;
  const totalSeconds = Math.floor(totalMs / 1000);
  const s = totalSeconds % 60;
  const m = Math.floor(totalSeconds / 60) % 60;
  const h = Math.floor(totalSeconds / 3600);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms, 3)}`;
}
