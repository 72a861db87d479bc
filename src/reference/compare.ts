// reference: where two runs of one title part, from what the runtime wrote (frames/, audio.wav, replay-log.jsonl):
// the first differing frame, the first differing 1024-sample audio window, and the first replay-log line (service
// call with its arguments and results, input or exit) that differs, and the first service call that differs.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ReplayLogLine } from "../config/replay-log.js";
import { naturalCompare } from "../media/natural-sort.js";
import { readReplayLog } from "../replay/replay-log.js";
import { RecompError } from "../util/errors.js";

export interface RunFiles {
  framesDir: string;
  audioFile: string;
  replayLog: string;
}

/** The files the runtime writes into its capture folder (--capture-dir, --frames-dir, --audio-file under it). */
export function runFilesIn(dir: string): RunFiles {
  return { framesDir: join(dir, "frames"), audioFile: join(dir, "audio.wav"), replayLog: join(dir, "replay-log.jsonl") };
}

export interface FirstDifference<T> {
  /** 0-based index of the first entry that differs (or that one list lacks). */
  index: number;
  reference: T | undefined;
  run: T | undefined;
}

export interface RunComparison {
  frames: { reference: number; run: number; first?: FirstDifference<string> };
  audio: { reference: number; run: number; first?: FirstDifference<string> };
  log: { reference: number; run: number; first?: FirstDifference<ReplayLogLine> };
  /** The service calls (svc and IPC lines) alone: the first call whose arguments or results differ, or that one run lacks. */
  calls: { reference: number; run: number; first?: FirstDifference<ReplayLogLine> };
}

function firstDifference<T>(reference: readonly T[], run: readonly T[], same: (a: T, b: T) => boolean): FirstDifference<T> | undefined {
  const length = Math.max(reference.length, run.length);
  for (let index = 0; index < length; index++) {
    const a = reference[index];
    const b = run[index];
    if (a === undefined || b === undefined || !same(a, b)) return { index, reference: a, run: b };
  }
  return undefined;
}

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** SHA-256 of every frame file (the runtime's PPMs), in frame order. */
async function frameHashes(dir: string): Promise<string[]> {
  const names = (await readdir(dir).catch(() => [])).filter((name) => /\.(ppm|png)$/.test(name)).sort(naturalCompare);
  const hashes: string[] = [];
  for (const name of names) hashes.push(sha256(await readFile(join(dir, name))));
  return hashes;
}

/** SHA-256 of every 1024-sample-frame window (4096 bytes of s16le stereo) of a WAV file's data chunk. */
async function audioWindows(file: string): Promise<string[]> {
  const bytes = await readFile(file).catch(() => Buffer.alloc(0));
  for (let at = 12; at + 8 <= bytes.length; at += 8 + bytes.readUInt32LE(at + 4)) {
    if (bytes.toString("latin1", at, at + 4) !== "data") continue;
    const data = bytes.subarray(at + 8, at + 8 + bytes.readUInt32LE(at + 4));
    const windows: string[] = [];
    for (let start = 0; start < data.length; start += 4096) windows.push(sha256(data.subarray(start, start + 4096)));
    return windows;
  }
  if (bytes.length === 0) return [];
  throw new RecompError({ code: "format_invalid", message: "no data chunk in the WAV file", location: { file } });
}

/** Two replay logs line by line, and their service calls (svc and IPC lines) call by call. */
export async function compareReplayLogs(reference: string, run: string): Promise<Pick<RunComparison, "log" | "calls">> {
  const [refLog, runLog] = await Promise.all([readReplayLog(reference), readReplayLog(run)]);
  const sameLine = (a: ReplayLogLine, b: ReplayLogLine): boolean => JSON.stringify(a) === JSON.stringify(b);
  const isCall = (line: ReplayLogLine): boolean => line.kind === "svc" || line.kind === "ipc";
  const [refCalls, runCalls] = [refLog.filter(isCall), runLog.filter(isCall)];
  return {
    log: { reference: refLog.length, run: runLog.length, first: firstDifference(refLog, runLog, sameLine) },
    calls: { reference: refCalls.length, run: runCalls.length, first: firstDifference(refCalls, runCalls, sameLine) },
  };
}

/** Compares a run against a reference, both as the runtime wrote them. */
export async function compareRuns(reference: RunFiles, run: RunFiles): Promise<RunComparison> {
  const [refFrames, runFrames, refAudio, runAudio, logs] = await Promise.all([
    frameHashes(reference.framesDir),
    frameHashes(run.framesDir),
    audioWindows(reference.audioFile),
    audioWindows(run.audioFile),
    compareReplayLogs(reference.replayLog, run.replayLog),
  ]);
  const equal = (a: string, b: string): boolean => a === b;
  return {
    frames: { reference: refFrames.length, run: runFrames.length, first: firstDifference(refFrames, runFrames, equal) },
    audio: { reference: refAudio.length, run: runAudio.length, first: firstDifference(refAudio, runAudio, equal) },
    ...logs,
  };
}

/** One replay-log line as a person reads it: `frame 150: vi:m IHOSBinderDriver command 1 -> result 0x0`. */
export function describeLogLine(line: ReplayLogLine | undefined): string {
  if (line === undefined) return "nothing (the log ended)";
  switch (line.kind) {
    case "ipc":
      return `frame ${line.frame}: ${line.service} ${line.interface} command ${line.command} (in ${line.in === "" ? "none" : line.in}) -> result 0x${line.result.toString(16)} (out ${line.out === "" ? "none" : line.out})`;
    case "svc":
      return `frame ${line.frame}: svc 0x${line.svc.toString(16)} ${line.name}(${line.args}) -> ${line.results === "" ? "does not return" : line.results}`;
    case "input":
      return `frame ${line.frame}: input ${line.name} = ${line.value}`;
    case "marker":
      return `frame ${line.frame}: marker ${line.name}`;
    case "debug":
      return `frame ${line.frame}: debug ${JSON.stringify(line.text)}`;
    case "frame":
      return `frame ${line.frame}: presented`;
    case "exit":
      return `frame ${line.frame}: exit`;
  }
}

/** The replay log's lines of a report: "identical", or the first differing line and the first diverging service call, both sides. */
export function formatLogComparison({ log, calls }: Pick<RunComparison, "log" | "calls">): string[] {
  return [
    log.first === undefined
      ? `replay log: identical (${log.reference} lines)`
      : `replay log: first difference at line ${log.first.index + 1}: reference ${describeLogLine(log.first.reference)}; run ${describeLogLine(log.first.run)}`,
    calls.first === undefined
      ? `service calls: identical (${calls.reference} calls)`
      : `service calls: first diverging call ${calls.first.index + 1}: reference ${describeLogLine(calls.first.reference)}; run ${describeLogLine(calls.first.run)}`,
  ];
}

/** The report's lines: "identical" per part, or where it first differs. */
export function formatComparison(comparison: RunComparison): string[] {
  const part = (name: string, unit: string, counts: { reference: number; run: number; first?: FirstDifference<string> }): string =>
    counts.first === undefined
      ? `${name}: identical (${counts.reference} ${unit})`
      : `${name}: first difference at ${unit.replace(/s$/, "")} ${counts.first.index} (reference ${counts.reference} ${unit}, run ${counts.run})`;
  return [part("frames", "frames", comparison.frames), part("audio", "windows", comparison.audio), ...formatLogComparison(comparison)];
}
