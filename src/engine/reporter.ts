// engine: what a person sees while the loop runs. On a terminal a live list of stages with state,
// reuse and duration; elsewhere one plain line per event. Always on stderr: stdout is for --json.
import type { StageName } from "../config/automation.js";
import type { StepStatus } from "../config/run-manifest.js";
import { fitWidth } from "./fit-width.js";
import { monotonicMs } from "../util/monotonic.js";

export interface StageOutcome {
  status: StepStatus;
  cacheHit: boolean;
  durationMs: number;
  notes: string[];
}

export interface Reporter {
  start(stages: readonly StageName[]): void;
  stageRunning(stage: StageName, reason: string): void;
  stageDone(stage: StageName, outcome: StageOutcome): void;
  output(stage: StageName, stream: "stdout" | "stderr", line: string): void;
  message(text: string): void;
  finish(): void;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
}

function describe(outcome: StageOutcome): string {
  if (outcome.status === "skipped") return `skipped${outcome.notes[0] === undefined ? "" : ` (${outcome.notes[0]})`}`;
  if (outcome.cacheHit) return "reused";
  // Why it ran stays on screen after it ends: "ran: changed: file title.toml 1a2b… -> 3c4d…".
  // A succeeded stage's warnings (unsupported instructions lifted as traps) stay on its line too.
  const warnings = outcome.notes.filter((note) => /unsupported instructions|^warning/.test(note)).map((note) => note.replace(/; the first \d+:$/, ""));
  const notes = outcome.status === "succeeded" ? [...outcome.notes.slice(0, 1), ...warnings.filter((w) => w !== outcome.notes[0])] : outcome.notes;
  const why = notes.map((note) => note.replace(/^ran: /, "")).join("; ");
  return `${outcome.status === "succeeded" ? "ran" : outcome.status} in ${seconds(outcome.durationMs)}${why === "" ? "" : ` (${why})`}`;
}

export class PlainReporter implements Reporter {
  constructor(private readonly out: NodeJS.WritableStream = process.stderr) {}
  start(): void {}
  stageRunning(stage: StageName, reason: string): void {
    this.out.write(`${stage}: running (${reason})\n`);
  }
  stageDone(stage: StageName, outcome: StageOutcome): void {
    this.out.write(`${stage}: ${describe(outcome)}\n`);
  }
  output(stage: StageName, stream: "stdout" | "stderr", line: string): void {
    this.out.write(`[${stage}${stream === "stderr" ? " !" : ""}] ${line}\n`);
  }
  message(text: string): void {
    this.out.write(`${text}\n`);
  }
  finish(): void {}
}

const marks: Record<string, string> = { pending: "·", running: "▶", succeeded: "✓", reused: "✓", failed: "✗", interrupted: "■", skipped: "–" };

export class LiveReporter implements Reporter {
  private rows: { stage: StageName; state: string; text: string; startedAt: number }[] = [];
  private drawn = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {}

  start(stages: readonly StageName[]): void {
    this.rows = stages.map((stage) => ({ stage, state: "pending", text: "", startedAt: 0 }));
    this.draw();
    this.timer = setInterval(() => this.draw(), 200);
    this.timer.unref();
  }

  stageRunning(stage: StageName, reason: string): void {
    this.update(stage, "running", reason);
  }

  stageDone(stage: StageName, outcome: StageOutcome): void {
    this.update(stage, outcome.cacheHit ? "reused" : outcome.status, describe(outcome));
  }

  output(stage: StageName, stream: "stdout" | "stderr", line: string): void {
    this.above(`[${stage}${stream === "stderr" ? " !" : ""}] ${line}`);
  }

  message(text: string): void {
    this.above(text);
  }

  finish(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.draw();
  }

  private update(stage: StageName, state: string, text: string): void {
    const row = this.rows.find((r) => r.stage === stage);
    if (row === undefined) return;
    row.state = state;
    row.text = text;
    if (state === "running") row.startedAt = monotonicMs();
    this.draw();
  }

  /** Prints a line above the live list, then redraws the list below it. */
  private above(line: string): void {
    this.clear();
    this.out.write(`${line}\n`);
    this.drawn = 0;
    this.draw();
  }

  private clear(): void {
    if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}A\x1b[0J`);
  }

  private draw(): void {
    this.clear();
    const width = Math.max(...this.rows.map((r) => r.stage.length));
    // A pseudo-terminal may report 0 columns: fall back to a usual width. One column stays free so
    // that no line wraps (a wrapped line would break the cursor arithmetic of the next redraw).
    const columns = this.out.columns !== undefined && this.out.columns > 0 ? this.out.columns : 100;
    const lines = this.rows.map((row) => {
      const body = row.state === "running" ? `running ${seconds(monotonicMs() - row.startedAt)} (${row.text})` : row.text;
      return fitWidth(`${marks[row.state] ?? " "} ${row.stage.padEnd(width)} ${body}`.trimEnd(), columns - 1);
    });
    this.out.write(`${lines.join("\n")}\n`);
    this.drawn = lines.length;
  }
}
