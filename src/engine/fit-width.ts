// engine: fitting a line of text to a terminal width without cutting a name at its end: the middle
// gives way ("work/logs/…/lift.stdout.log"), so both the start and the file name stay readable.

/** `text` shortened to at most `width` characters by replacing its middle with "…". */
export function fitWidth(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return chars.slice(0, Math.max(0, width)).join("");
  const keep = width - 1;
  const head = Math.ceil(keep / 2);
  const tail = keep - head;
  return `${chars.slice(0, head).join("")}…${tail === 0 ? "" : chars.slice(-tail).join("")}`;
}

/** Whether the live list (cursor movement) may be drawn on `stream`: a real terminal that is not "dumb", without NO_COLOR, outside CI. */
export function liveOutputAllowed(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (stream.isTTY !== true || env.CI === "true") return false;
  if (env.TERM === "dumb" || env.TERM === undefined || env.TERM === "") return false;
  return env.NO_COLOR === undefined || env.NO_COLOR === "";
}
