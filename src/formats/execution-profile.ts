/**
 * formats: the execution profile a profiling build's run writes (runtime/core/profile.c): a header line, then one
 * line per guest function that ran, `0x<entry> <calls>`, sorted by entry. `recomp emit --profile` reads it to put
 * the code that never ran in cold files (docs/runtime-core.md, "Optimisation tiers").
 */
import { RecompError } from "../util/errors.js";

export const executionProfileHeader = "# recomp execution profile 1: guest function entry, calls (recomp emit --profile)";

export interface ExecutionProfile {
  /** The file as the user named it. */
  file: string;
  /** Calls by function entry (functionKey), in the file's order. */
  calls: ReadonlyMap<string, bigint>;
  /** The line each entry is on, for messages. */
  lines: ReadonlyMap<string, number>;
}

/** A guest function's entry as the profile and the emitter compare them: lowercase hex without leading zeros. */
export const functionKey = (entry: string | bigint): string => `0x${BigInt(entry).toString(16)}`;

const entryLine = /^0x([0-9a-f]{1,16}) ([1-9][0-9]{0,19})$/;

function invalid(file: string, line: number, message: string): RecompError {
  return new RecompError({
    code: "format_invalid",
    message: `${file}:${line}: ${message}`,
    location: { file, line },
    hint: "use the file a profiling build's run wrote (make recomp-title-profile; RECOMP_PROFILE_OUT=<file> ./recomp-title-profile)",
  });
}

/** Parses a profile; any line that is not the header, an entry in increasing order, or empty at the end is an error. */
export function parseExecutionProfile(text: string, file: string): ExecutionProfile {
  const rows = text.split("\n");
  if (rows.at(-1) === "") rows.pop();
  if (rows[0] !== executionProfileHeader) {
    throw invalid(file, 1, `not an execution profile: the first line must be "${executionProfileHeader}"`);
  }
  const calls = new Map<string, bigint>();
  const lines = new Map<string, number>();
  let previous = -1n;
  for (const [index, row] of rows.entries()) {
    if (index === 0) continue;
    const match = entryLine.exec(row);
    if (match === null) throw invalid(file, index + 1, `expected "0x<entry in lowercase hex> <calls, at least 1>", found ${JSON.stringify(row.slice(0, 60))}`);
    const entry = BigInt(`0x${match[1]}`);
    if (entry <= previous) throw invalid(file, index + 1, `entry 0x${match[1]} is not above the line before's (entries are sorted and unique)`);
    previous = entry;
    calls.set(functionKey(entry), BigInt(match[2] ?? "0"));
    lines.set(functionKey(entry), index + 1);
  }
  return { file, calls, lines };
}
