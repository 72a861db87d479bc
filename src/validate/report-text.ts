// validate: validation-report.txt, the short verdict a person reads in the terminal.
import type { ValidationReport } from "../config/validation-report.js";

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function renderTextReport(report: ValidationReport): string {
  const t = report.thresholds;
  const f = report.frames;
  const lines: string[] = [];
  lines.push(`validation "${report.name}": ${report.verdict.toUpperCase()} (${report.mode.value} comparison, mode from ${report.mode.source})`);
  lines.push(
    `frames: ${f.matched_frames}/${f.reference_frames} matched (${percent(f.match_ratio)}, need ${percent(t.frame_match_ratio?.value ?? 0)}), ` +
      `window ${f.reference_window.start}-${f.reference_window.end}, capture offset ${f.offset_frames >= 0 ? "+" : ""}${f.offset_frames} frames`,
  );
  lines.push(
    `        dropped ${f.dropped.count}, duplicated ${f.duplicated.count}, longest mismatch run ${plural(f.mismatch_runs[0]?.frames ?? 0, "frame")}, ` +
      `max drift ${plural(f.drift.max_abs_frames, "frame")}` +
      (f.similarity === undefined ? "" : `, similarity min ${f.similarity.min} / p5 ${f.similarity.p5} / mean ${f.similarity.mean}`),
  );
  const a = report.audio;
  if (a.status === "compared") {
    const longest = a.dropouts.reduce((max, d) => Math.max(max, d.duration_ms), 0);
    lines.push(
      `audio: ${a.matched_windows}/${a.reference_windows} windows match (${percent(a.match_ratio ?? 0)}), offset ${(a.offset_ms ?? 0) >= 0 ? "+" : ""}${a.offset_ms} ms, ` +
        `${plural(a.dropouts.length, "dropout")}${a.dropouts.length > 0 ? ` (longest ${longest} ms)` : ""}`,
    );
  } else {
    lines.push(`audio: ${a.status.replace(/_/g, " ")}`);
  }
  const events = report.events.filter((e) => e.source !== "outside_window");
  if (events.length > 0) lines.push(`events: ${events.filter((e) => e.passed).length}/${events.length} within ${t.event_drift_max_seconds?.value ?? 0} s`);
  const mediaProblems = report.media.filter((m) => !m.ok);
  if (mediaProblems.length > 0) {
    lines.push("media:");
    for (const m of mediaProblems) lines.push(`  ${m.side} ${m.check}: declared ${m.declared}, found ${m.actual}`);
  }
  if (report.failures.length > 0) {
    lines.push("failures:");
    for (const failure of report.failures) {
      lines.push(`  [${failure.category}] ${failure.message}`);
      lines.push(`      -> ${failure.suggestion}`);
    }
  }
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  return `${lines.join("\n")}\n`;
}
