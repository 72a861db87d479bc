// replay: reading the runtime's JSONL replay log, every bad line reported with its number.
import { replayLogLineSchema, type ReplayLogLine } from "../config/replay-log.js";
import { readTextFile, schemaErrors } from "../config/toml.js";
import { RecompError, throwIfAny } from "../util/errors.js";

export function parseReplayLog(text: string, file: string): ReplayLogLine[] {
  const lines: ReplayLogLine[] = [];
  const errors: RecompError[] = [];
  text.split("\n").forEach((line, index) => {
    if (line === "") return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      errors.push(new RecompError({ code: "format_invalid", message: "not a JSON object", location: { file, line: index + 1 } }));
      return;
    }
    const { errors: invalid, value } = schemaErrors(replayLogLineSchema, raw, file);
    errors.push(...invalid.map((error) => new RecompError({ code: "format_invalid", message: error.message, location: { ...error.location, line: index + 1 } })));
    if (invalid.length === 0) lines.push(value as ReplayLogLine);
  });
  throwIfAny(errors);
  return lines;
}

export async function readReplayLog(file: string): Promise<ReplayLogLine[]> {
  return parseReplayLog(await readTextFile(file, "replay log"), file);
}
